package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Fixtures;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.ServerMessages;
import dev.pgkill.testing.Victim;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What each kind of role may see and signal, and whether a dry run predicts it. */
@ExtendWith(PostgresExtension.class)
class PrivilegesIT {
  private final PostgresServer server;

  PrivilegesIT(PostgresServer server) {
    this.server = server;
  }

  /**
   * A dry run predicts what the server will do: each kind of role, against sessions of a superuser,
   * of its own, of another role, the autovacuum launcher (no role) and the checkpointer (an
   * auxiliary process), first with -n, then for real; the two must agree.
   */
  @org.junit.jupiter.api.Nested
  class DryRunPredictions {
    private String other;

    @org.junit.jupiter.api.BeforeEach
    void roles() throws Exception {
      other = server.createRole("other", "");
    }

    /** The dry run's outcome for each target, by name, once the real run has agreed with it. */
    private java.util.Map<String, Object> predicted(String actor, String self) throws Exception {
      try (Victim superuser = Victim.sleeping(server, PostgresServer.SUPERUSER);
          Victim own = Victim.sleeping(server, self);
          Victim others = Victim.sleeping(server, other)) {
        java.util.Map<String, Integer> pids = new java.util.LinkedHashMap<>();
        pids.put("superuser", superuser.pid());
        pids.put("own", own.pid());
        pids.put("other", others.pid());
        pids.put("launcher", server.pidOf("autovacuum launcher"));
        pids.put("checkpointer", server.pidOf("checkpointer"));
        List<String> args =
            new java.util.ArrayList<>(
                List.of("--cancel", "-o", "json", "--unverified", "--backend-type", "any"));
        pids.values().forEach(pid -> args.add(Integer.toString(pid)));
        List<String> dryArgs = new java.util.ArrayList<>(args);
        dryArgs.add("-n");
        Run dry = Run.of(server.argsAs(actor, dryArgs.toArray(String[]::new)));
        for (Victim victim : List.of(superuser, own, others)) {
          assertThat(victim.stillSleeping()).as("a dry run signals nothing").isTrue();
        }
        Run real = Run.of(server.argsAs(actor, args.toArray(String[]::new)));

        List<java.util.Map<String, Object>> dryLines =
            dry.out().lines().map(Fixtures::json).toList();
        List<java.util.Map<String, Object>> realLines =
            real.out().lines().map(Fixtures::json).toList();
        java.util.Map<String, Object> predictions = new java.util.LinkedHashMap<>();
        int i = 0;
        for (String name : pids.keySet()) {
          Object predicted = dryLines.get(i).get("outcome");
          Object happened = realLines.get(i).get("outcome");
          String what =
              actor + " against " + name + ": predicted " + predicted + ", " + realLines.get(i);
          assertThat(predicted).as(what).isNotEqualTo("may_be_refused");
          if ("would_signal".equals(predicted)) {
            assertThat(happened).as(what).isEqualTo("signalled");
          } else if (predicted.toString().startsWith("would_be_refused")) {
            assertThat(happened).as(what).isIn("denied", "warning");
            assertThat(dryLines.get(i).get("result_text").toString())
                .as(what)
                .startsWith("would be refused: ");
          } else {
            assertThat(happened).as(what).isEqualTo(predicted);
          }
          predictions.put(name, predicted);
          i++;
        }
        assertThat(dryLines.get(i))
            .containsEntry("type", "summary")
            .containsEntry("signalled", 0)
            .containsEntry(
                "would_signal",
                (int) predictions.values().stream().filter("would_signal"::equals).count());
        return predictions;
      }
    }

    private String launcherToANonSuperuserWithSignalBackend() {
      return server.major() == 10 ? "would_signal" : "would_be_refused_superuser";
    }

    @Test
    void superuser() throws Exception {
      assertThat(predicted(PostgresServer.SUPERUSER, PostgresServer.SUPERUSER))
          .containsEntry("superuser", "would_signal")
          .containsEntry("own", "would_signal")
          .containsEntry("other", "would_signal")
          .containsEntry("launcher", "would_signal")
          .containsEntry("checkpointer", "would_be_refused_auxiliary");
    }

    @Test
    void plainRoleIsToldOfThe42501BeforeItGetsIt() throws Exception {
      String plain = server.createRole("plain", "");
      assertThat(predicted(plain, plain))
          .containsEntry("superuser", "would_be_refused_superuser")
          .containsEntry("own", "would_signal")
          .containsEntry("other", "would_be_refused_privilege")
          .containsEntry("launcher", "unverifiable")
          .containsEntry("checkpointer", "unverifiable");
    }

    @Test
    void signalBackendMember() throws Exception {
      String signaller = server.createRole("signaller", "in role pg_signal_backend");
      assertThat(predicted(signaller, signaller))
          .containsEntry("superuser", "would_be_refused_superuser")
          .containsEntry("own", "would_signal")
          .containsEntry("other", "would_signal")
          .containsEntry("launcher", "unverifiable");
    }

    @Test
    void signalBackendAndReadAllStatsMember() throws Exception {
      String killer = server.createRole("killer", "in role pg_signal_backend, pg_read_all_stats");
      assertThat(predicted(killer, killer))
          .containsEntry("superuser", "would_be_refused_superuser")
          .containsEntry("other", "would_signal")
          .containsEntry("launcher", launcherToANonSuperuserWithSignalBackend())
          .containsEntry("checkpointer", "would_be_refused_auxiliary");
    }

    @Test
    void monitor() throws Exception {
      String monitor = server.createRole("monitor", "in role pg_monitor");
      assertThat(predicted(monitor, monitor))
          .containsEntry("own", "would_signal")
          .containsEntry("other", "would_be_refused_privilege")
          .containsEntry(
              "launcher",
              server.major() == 10 ? "would_be_refused_privilege" : "would_be_refused_superuser")
          .containsEntry("checkpointer", "would_be_refused_auxiliary");
    }

    @Test
    void memberOfTheOtherRoleHasItsPrivileges() throws Exception {
      String friend = server.createRole("friend", "in role " + other);
      assertThat(predicted(friend, friend)).containsEntry("other", "would_signal");
    }

    @Test
    void membershipWithoutInheritGivesNoPrivileges() throws Exception {
      String member =
          server.createRole("noinherit", "noinherit in role pg_signal_backend, pg_read_all_stats");
      assertThat(predicted(member, member))
          .containsEntry("own", "would_signal")
          .containsEntry("other", "would_be_refused_privilege");
    }
  }

  /**
   * What each kind of role can see and signal, against sessions of a superuser, of itself and of
   * another role, and what the report says when the server refuses.
   */
  @org.junit.jupiter.api.Nested
  class Privileges {
    private String plain;
    private String other;
    private String signaller;
    private String monitor;

    @org.junit.jupiter.api.BeforeEach
    void roles() throws Exception {
      plain = server.createRole("plain", "");
      other = server.createRole("other", "");
      signaller = server.createRole("signaller", "in role pg_signal_backend");
      monitor = server.createRole("monitor", "in role pg_monitor");
    }

    /** Cancels the three sessions as {@code actor}; returns each outcome line, by owner. */
    private java.util.Map<String, java.util.Map<String, Object>> cancelAs(
        String actor, String self, boolean unverified) throws Exception {
      try (Victim superuser = Victim.sleeping(server, PostgresServer.SUPERUSER);
          Victim own = Victim.sleeping(server, self);
          Victim others = Victim.sleeping(server, other)) {
        List<String> args = new java.util.ArrayList<>(List.of("--cancel", "-o", "json"));
        if (unverified) {
          args.addAll(List.of("--unverified", "--backend-type", "any"));
        }
        args.addAll(
            List.of(
                Integer.toString(superuser.pid()),
                Integer.toString(own.pid()),
                Integer.toString(others.pid())));
        Run run = Run.of(server.argsAs(actor, args.toArray(String[]::new)));
        List<java.util.Map<String, Object>> lines = run.out().lines().map(Fixtures::json).toList();
        java.util.Map<String, java.util.Map<String, Object>> byOwner = new java.util.HashMap<>();
        byOwner.put("superuser", lines.get(0));
        byOwner.put("own", lines.get(1));
        byOwner.put("other", lines.get(2));
        // What the server did must agree with what was reported.
        for (var entry :
            java.util.Map.of("superuser", superuser, "own", own, "other", others).entrySet()) {
          boolean reported = (Boolean) byOwner.get(entry.getKey()).get("signalled");
          if (reported) {
            assertThat(entry.getValue().failure().getSQLState()).isEqualTo("57014");
          } else {
            assertThat(entry.getValue().stillSleeping()).as(entry.getKey()).isTrue();
          }
        }
        return byOwner;
      }
    }

    private String denied(java.util.Map<String, Object> line) {
      return line.get("message")
          + (line.get("detail") == null ? "" : " DETAIL: " + line.get("detail"));
    }

    @Test
    void superuserSeesAndSignalsEverySession() throws Exception {
      var outcomes = cancelAs(PostgresServer.SUPERUSER, plain, false);

      assertThat(outcomes.values()).extracting(o -> o.get("outcome")).containsOnly("signalled");
    }

    @Test
    void plainRoleSignalsOnlyItsOwnAndCannotIdentifyOthers() throws Exception {
      var hidden = cancelAs(plain, plain, false);
      assertThat(hidden.get("own"))
          .containsEntry("outcome", "signalled")
          .containsEntry("state", "active");
      assertThat(hidden.get("other"))
          .containsEntry("outcome", "unverifiable")
          .containsEntry("state", null)
          .containsEntry("user", other);
      assertThat(hidden.get("superuser")).containsEntry("outcome", "unverifiable");

      var forced = cancelAs(plain, plain, true);
      assertThat(forced.get("other"))
          .containsEntry("outcome", "denied")
          .containsEntry("sqlstate", "42501");
      assertThat(denied(forced.get("other")))
          .isEqualTo(ServerMessages.cancelDenied(server.major(), false));
      assertThat(denied(forced.get("superuser")))
          .isEqualTo(ServerMessages.cancelDenied(server.major(), true));
    }

    @Test
    void signalBackendMemberSignalsOtherRolesButNotSuperusers() throws Exception {
      var hidden = cancelAs(signaller, signaller, false);
      assertThat(hidden.get("other")).containsEntry("outcome", "unverifiable");

      var forced = cancelAs(signaller, signaller, true);
      assertThat(forced.get("own")).containsEntry("outcome", "signalled");
      assertThat(forced.get("other")).containsEntry("outcome", "signalled");
      assertThat(forced.get("superuser")).containsEntry("outcome", "denied");
      assertThat(denied(forced.get("superuser")))
          .isEqualTo(ServerMessages.cancelDenied(server.major(), true));
    }

    @Test
    void monitorSeesEverySessionButSignalsOnlyItsOwn() throws Exception {
      var outcomes = cancelAs(monitor, monitor, false);

      assertThat(outcomes.get("own")).containsEntry("outcome", "signalled");
      assertThat(outcomes.get("other"))
          .containsEntry("outcome", "denied")
          .containsEntry("state", "active");
      assertThat(denied(outcomes.get("other")))
          .isEqualTo(ServerMessages.cancelDenied(server.major(), false));
      assertThat(outcomes.get("superuser")).containsEntry("outcome", "denied");
      assertThat(denied(outcomes.get("superuser")))
          .isEqualTo(ServerMessages.cancelDenied(server.major(), true));
    }

    @Test
    void whatEachRoleCanList() throws Exception {
      try (Victim others = Victim.sleeping(server, other)) {
        Run asPlain = Run.of(server.argsAs(plain, "--list", "-o", "json", "-u", other));
        Run asPlainAnyType =
            Run.of(
                server.argsAs(plain, "--list", "-o", "json", "-u", other, "--backend-type", "any"));
        Run asMonitor = Run.of(server.argsAs(monitor, "--list", "-o", "json", "-u", other));

        // Its type is hidden from plain: not known to be a client backend, so only counted.
        assertThat(asPlain.status()).isEqualTo(1);
        assertThat(json(asPlain.out().lines().findFirst().orElseThrow()))
            .containsEntry("sessions", 0);
        assertThat(asPlain.err())
            .contains("1 session of another role was left out", "grant pg_read_all_stats");
        assertThat(json(asPlainAnyType.out().lines().findFirst().orElseThrow()))
            .containsEntry("pid", others.pid())
            .containsEntry("state", null)
            .containsEntry("backend_start", null)
            .containsEntry("query", null);
        assertThat(json(asMonitor.out().lines().findFirst().orElseThrow()))
            .containsEntry("pid", others.pid())
            .containsEntry("state", "active")
            .containsEntry("query", "select pg_sleep(60)");
      }
    }
  }
}
