package dev.pgkill;

import static dev.pgkill.testing.Fixtures.unique;
import static dev.pgkill.testing.Victim.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.Target;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Targets read from standard input, and ID lists that replay through it. */
@ExtendWith(PostgresExtension.class)
class StandardInputIT {
  private final PostgresServer server;

  StandardInputIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void targetsReadFromStandardInputWithCommentsAndIdentityTokens() throws Exception {
    try (Victim first = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim second = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim untouched = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      String stdin =
          "# from an earlier --list\n"
              + first.pid()
              + "   # the report job\n\n"
              + "\t"
              + Target.token(second.pid(), second.backendStart())
              + "\n";
      Run run = Run.withStdin(stdin, server.args("--cancel", "-"));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(first.failure().getSQLState()).isEqualTo("57014");
      assertThat(second.failure().getSQLState()).isEqualTo("57014");
      assertThat(untouched.stillSleeping()).isTrue();
    }
  }

  /**
   * A script piping a huge list: 100,000 PIDs on standard input are looked up with one statement
   * ({@code where a.pid = any (?)} with one int4 array: see SessionFinder), not one per PID, and
   * each gets its own result. The PIDs are above Linux's largest pid_max (2^22), so no process can
   * have them, let alone a backend of this server.
   */
  @Test
  void hundredThousandPidsOnStandardInputGetOneResultEach() {
    int count = 100_000;
    StringBuilder stdin = new StringBuilder();
    for (int pid = 5_000_000; pid < 5_000_000 + count; pid++) {
      stdin.append(pid).append('\n');
    }

    Run run =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(60),
            () -> Run.withStdin(stdin.toString(), server.args("--cancel", "-o", "json", "-")));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines().filter(line -> line.startsWith("{\"type\":\"target\"")))
        .hasSize(count)
        .allMatch(line -> line.contains("\"signalled\":false"));
  }

  @Test
  void aPidNamedAlsoByItsIdIsSignalledOnce() throws Exception {
    String app = unique("twice");
    List<Victim> victims = sleepers(app, 1);
    try {
      Victim victim = victims.get(0);
      Run list = Run.of(server.args("--list", "-o", "id", "-a", app));
      assertThat(list.out()).startsWith(victim.pid() + "@");

      Run run =
          Run.withStdin(
              list.out(),
              server.args("--cancel", "-o", "json", Integer.toString(victim.pid()), "-"));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(run.out().lines().filter(l -> l.contains("\"type\":\"target\"")))
          .singleElement()
          .asString()
          .contains("\"pid\":" + victim.pid(), "\"outcome\":\"signalled\"");
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void listedIdsReplayThroughStandardInputWithTheIdentityCheck() throws Exception {
    String app = unique("replay");
    List<Victim> victims = sleepers(app, 2);
    try {
      Run list = Run.of(server.args("--list", "-o", "id", "-a", app));
      // Each id names its server too, by system identifier (FleetIT replays one elsewhere).
      String system =
          server.queryString(
              PostgresServer.SUPERUSER, "select system_identifier::text from pg_control_system()");
      assertThat(list.out().lines())
          .containsExactlyInAnyOrder(
              Target.token(victims.get(0).pid(), victims.get(0).backendStart(), system),
              Target.token(victims.get(1).pid(), victims.get(1).backendStart(), system));

      Run replay = Run.withStdin(list.out(), server.args("--terminate", "-o", "pid", "-"));

      assertThat(replay.status()).isZero();
      assertThat(replay.out().lines())
          .containsExactlyInAnyOrder(
              Integer.toString(victims.get(0).pid()), Integer.toString(victims.get(1).pid()));
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void anIdListOfSessionsWhoseBackendStartIsHiddenWarnsThatItCannotBeReplayedSafely()
      throws Exception {
    String plain = server.createRole("plain", "");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      // Its backend type is hidden too: only --backend-type any lists it (see the hint test).
      Run ids =
          Run.of(server.argsAs(plain, "--list", "-o", "id", "-u", other, "--backend-type", "any"));

      assertThat(ids.status()).as(ids.err()).isZero();
      assertThat(ids.out()).isEqualTo(victim.pid() + "\n");
      assertThat(ids.err().lines())
          .singleElement()
          .asString()
          .isEqualTo(
              "pgkill: warning: 1 PID is printed without @BACKEND_START, which is hidden from"
                  + " pgkill's role (grant pg_read_all_stats or pg_monitor): it cannot be replayed"
                  + " safely");
    }
  }

  private List<Victim> sleepers(String application, int count) throws Exception {
    return Victim.sleepers(server, application, count);
  }
}
