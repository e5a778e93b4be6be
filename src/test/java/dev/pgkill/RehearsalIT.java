package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import dev.pgkill.text.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --rehearse FILE}: a selection, or a policy's rules, applied to sessions {@code --list -o
 * json} recorded earlier, on the live server, which is never signalled.
 */
@ExtendWith(PostgresExtension.class)
class RehearsalIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PostgresServer server;
  @TempDir Path dir;

  RehearsalIT(PostgresServer server) {
    this.server = server;
  }

  /** The PIDs of a JSON listing's session lines, in order. */
  private static List<Integer> pids(Run run) {
    return run.out()
        .lines()
        .map(line -> json(line))
        .filter(line -> "session".equals(line.get("type")))
        .map(line -> (Integer) line.get("pid"))
        .toList();
  }

  private static List<Map<String, Object>> sessions(Run run) {
    return run.out()
        .lines()
        .map(line -> json(line))
        .filter(line -> "session".equals(line.get("type")))
        .toList();
  }

  private Path recorded(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aSnapshotOfSessionsSinceEndedChoosesWhatTheLiveListingChose() throws Exception {
    String prefix = unique("reh");
    List<Victim> victims = new ArrayList<>();
    Run live;
    List<Integer> idle = new ArrayList<>();
    int sleeping;
    try {
      for (int i = 0; i < 2; i++) {
        Victim victim = Victim.idleInTransaction(server, prefix + "-web");
        victims.add(victim);
        idle.add(victim.pid());
      }
      List<Victim> sleepers = Victim.sleepers(server, prefix + "-batch", 1);
      victims.addAll(sleepers);
      sleeping = sleepers.get(0).pid();
      live = Run.of(server.args("--list", "-a", prefix + "-*", "-o", "json"));
    } finally {
      Victim.closeAll(victims);
    }
    for (Victim victim : victims) {
      victim.awaitGone();
    }
    assertThat(live.status()).as(live.err()).isZero();
    assertThat(pids(live)).containsExactlyInAnyOrder(idle.get(0), idle.get(1), sleeping);
    Object capturedAt = sessions(live).get(0).get("captured_at");
    assertThat(capturedAt).as("the server's time of the listing").isNotNull();
    Path snapshot = recorded("seen.json", live.out());

    Run same =
        Run.of(server.args("--rehearse", snapshot.toString(), "-a", prefix + "-*", "-o", "json"));
    Run web =
        Run.of(
            server.args(
                "--rehearse", snapshot.toString(), "-t", "-a", prefix + "-w?b", "-o", "json"));
    Run active =
        Run.of(server.args("--rehearse", snapshot.toString(), "-c", "-s", "active", "-o", "json"));
    Run none = Run.of(server.args("--rehearse", snapshot.toString(), "-u", "nobody-at-all"));

    assertThat(same.status()).as(same.err()).isZero();
    assertThat(pids(same)).isEqualTo(pids(live));
    assertThat(sessions(same))
        .allSatisfy(s -> assertThat(s).containsEntry("captured_at", capturedAt));
    assertThat(sessions(same).get(0))
        .as("every field as recorded")
        .containsAllEntriesOf(withoutAges(sessions(live).get(0)));
    assertThat(web.status()).as(web.err()).isZero();
    assertThat(pids(web)).containsExactlyInAnyOrderElementsOf(idle);
    assertThat(active.status()).as(active.err()).isZero();
    assertThat(pids(active)).containsExactly(sleeping);
    assertThat(none.status()).as(none.out() + none.err()).isEqualTo(1);
    assertThat(none.out()).doesNotContain(prefix);
  }

  /** A listing line but for what differs between two listings of the same session. */
  private static Map<String, Object> withoutAges(Map<String, Object> line) {
    Map<String, Object> fields = new java.util.LinkedHashMap<>(line);
    fields.keySet().removeAll(List.of("lock_waiting_ms"));
    return fields;
  }

  /**
   * A snapshot's sessions' ages are measured at its capture time, not now: the capture times are
   * set in the file, 2 and 10 seconds after the sessions went idle, so no test waits.
   */
  @Test
  void agesAreMeasuredAtEachSnapshotsOwnCaptureTime() throws Exception {
    String app = unique("reh-age");
    Run live;
    int pid;
    try (Victim victim = Victim.idleInTransaction(server, app)) {
      pid = victim.pid();
      live = Run.of(server.args("--list", "-a", app, "-o", "json"));
    }
    assertThat(live.status()).as(live.err()).isZero();
    // An hour back, so that ages taken from now, not from each capture, choose otherwise.
    String line = anHourEarlier(live.out().lines().findFirst().orElseThrow());
    OffsetDateTime idleSince = OffsetDateTime.parse((String) json(line).get("state_change"));
    Path snapshots =
        recorded(
            "two.json",
            capturedAt(line, idleSince.plusSeconds(2))
                + "\n{\"type\":\"summary\",\"version\":2,\"sessions\":1}\n"
                + capturedAt(line, idleSince.plusSeconds(10))
                + "\n{\"type\":\"summary\",\"version\":2,\"sessions\":1}\n");

    Run oneSecond =
        Run.of(
            server.args(
                "--rehearse",
                snapshots.toString(),
                "-s",
                "idle-in-transaction",
                "--idle-longer-than",
                "1s",
                "-o",
                "json"));
    Run fiveSeconds =
        Run.of(
            server.args(
                "--rehearse",
                snapshots.toString(),
                "-s",
                "idle-in-transaction",
                "--idle-longer-than",
                "5s",
                "-o",
                "json"));
    Run aMinute =
        Run.of(
            server.args("--rehearse", snapshots.toString(), "--xact-longer-than", "1m", "-a", app));

    assertThat(oneSecond.status()).as(oneSecond.err()).isZero();
    assertThat(pids(oneSecond)).containsExactly(pid, pid);
    assertThat(sessions(oneSecond))
        .extracting(s -> OffsetDateTime.parse((String) s.get("captured_at")))
        .containsExactly(idleSince.plusSeconds(2), idleSince.plusSeconds(10));
    assertThat(fiveSeconds.err())
        .as("which snapshot gave what, since a table does not say")
        .isEqualTo(
            "pgkill: hint: snapshot captured at "
                + Timestamps.utc(idleSince.plusSeconds(2))
                + ": 0 of 1 session chosen\n"
                + "pgkill: hint: snapshot captured at "
                + Timestamps.utc(idleSince.plusSeconds(10))
                + ": 1 of 1 session chosen\n");
    assertThat(fiveSeconds.status()).as(fiveSeconds.err()).isZero();
    assertThat(sessions(fiveSeconds))
        .singleElement()
        .satisfies(
            s ->
                assertThat(OffsetDateTime.parse((String) s.get("captured_at")))
                    .isEqualTo(idleSince.plusSeconds(10)));
    assertThat(aMinute.status())
        .as("captured an hour ago, when its transaction was seconds old")
        .isEqualTo(1);
  }

  private static String anHourEarlier(String line) throws IOException {
    ObjectNode session = (ObjectNode) JSON.readTree(line);
    for (String field :
        List.of("backend_start", "xact_start", "query_start", "state_change", "captured_at")) {
      if (session.hasNonNull(field)) {
        session.put(
            field, OffsetDateTime.parse(session.get(field).asText()).minusHours(1).toString());
      }
    }
    return JSON.writeValueAsString(session);
  }

  private static String capturedAt(String line, OffsetDateTime at) throws IOException {
    ObjectNode session = (ObjectNode) JSON.readTree(line);
    session.put("captured_at", at.toString());
    return JSON.writeValueAsString(session);
  }

  /**
   * A policy rehearsed on a snapshot of sessions still running: each rule's choice under its name,
   * and not one signal, as the sessions and the server's log of pgkill's statements show.
   */
  @Test
  void aPolicyIsRehearsedRuleByRuleAndNothingIsSignalled() throws Exception {
    String reports = unique("reh-reports");
    String forgotten = unique("reh-forgotten");
    String role = server.createRole("rehearser", "superuser");
    server.execute("alter role " + role + " set log_statement = 'all'");
    List<Victim> sleepers = Victim.sleepers(server, reports, 1);
    Victim idle = Victim.idleInTransaction(server, forgotten);
    try {
      Run live = Run.of(server.args("--list", "-o", "json"));
      assertThat(live.status()).as(live.err()).isZero();
      Path snapshot = recorded("now.json", live.out());
      Path policy =
          recorded(
              "policy.toml",
              "[rule.runaway-reports]\ncancel = true\napplication = \""
                  + reports
                  + "\"\nrunning-longer-than = \"1ms\"\nreason = \"reports run at night\"\n\n"
                  + "[rule.forgotten]\nterminate = true\nstate = [\"idle-in-transaction\"]\n"
                  + "application = [\""
                  + forgotten
                  + "\"]\nidle-longer-than = \"1ms\"\n\n"
                  + "[rule.nobody]\nterminate = true\nuser = \"nobody-at-all\"\n");

      Run run =
          Run.of(
              server.argsAs(
                  role, "--rehearse", snapshot.toString(), "--policy", policy.toString()));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      String out = run.out();
      assertThat(out)
          .contains("rule runaway-reports: reports run at night\n", "rule forgotten\n")
          .contains("rule nobody\n");
      assertThat(out.indexOf("rule runaway-reports"))
          .isLessThan(out.indexOf(sleepers.get(0).pid() + " "))
          .isLessThan(out.indexOf("rule forgotten"));
      assertThat(out.indexOf("rule forgotten"))
          .isLessThan(out.indexOf(idle.pid() + " "))
          .isLessThan(out.indexOf("rule nobody"));
      assertThat(sleepers.get(0).stillSleeping()).as("chosen, never cancelled").isTrue();
      assertThat((Throwable) idle.errorOf("select 1")).as("chosen, never terminated").isNull();
      List<String> statements = statementsOf(role);
      assertThat(statements).anyMatch(s -> s.contains("jsonb_to_recordset"));
      assertThat(statements)
          .noneMatch(s -> s.contains("pg_cancel_backend") || s.contains("pg_terminate_backend"))
          .noneMatch(s -> s.contains("from pg_stat_activity a"));
    } finally {
      Victim.closeAll(sleepers);
      idle.close();
    }
  }

  /**
   * Each statement the server logged for {@code role}, with its continuation lines; not the
   * parameters, which hold the snapshot's queries.
   */
  private List<String> statementsOf(String role) throws IOException {
    PostgresServer.await(
        "the server log",
        java.time.Duration.ofSeconds(5),
        () -> {
          try {
            return Files.readString(server.log()).contains("jsonb_to_recordset");
          } catch (IOException e) {
            return false;
          }
        });
    Pattern entry = Pattern.compile("^[^@\\s]*@[^@\\s]*@[A-Z]+:  .*");
    List<String> statements = new ArrayList<>();
    StringBuilder current = null;
    for (String line : Files.readAllLines(server.log())) {
      if (entry.matcher(line).matches()) {
        if (current != null) {
          statements.add(current.toString());
        }
        current = line.contains("@" + role + "@LOG:") ? new StringBuilder(line) : null;
      } else if (current != null) {
        current.append('\n').append(line);
      }
    }
    if (current != null) {
      statements.add(current.toString());
    }
    return statements;
  }

  @Test
  void whatASnapshotCannotTellIsRefusedInOneLine() throws Exception {
    Path snapshot = recorded("empty.json", "{\"type\":\"summary\",\"version\":2,\"sessions\":0}\n");
    Path policy = recorded("locks.toml", "[rule.roots]\nterminate = true\nblockers = true\n");

    Run blockers = Run.of(server.args("--rehearse", snapshot.toString(), "-t", "--blockers"));
    Run rule =
        Run.of(server.args("--rehearse", snapshot.toString(), "--policy", policy.toString()));
    Run pids = Run.of(server.args("--rehearse", snapshot.toString(), "-t", "4242"));
    Run watch =
        Run.of(
            server.args(
                "--rehearse", snapshot.toString(), "--policy", policy.toString(), "--watch", "1s"));
    Run barePids = Run.of(server.args("--rehearse", snapshot.toString(), "-a", "x", "-o", "pid"));
    Run empty = Run.of(server.args("--rehearse", recorded("none.json", "").toString(), "-a", "x"));

    assertThat(blockers.status()).isEqualTo(2);
    assertThat(blockers.err())
        .isEqualTo(
            "pgkill: error: --blockers cannot be rehearsed: it needs what the live server knows"
                + " and a snapshot does not record (see pgkill --help)\n");
    assertThat(rule.status()).isEqualTo(2);
    assertThat(rule.err())
        .startsWith("pgkill: error: rule \"roots\": --blockers cannot")
        .hasLineCount(1);
    assertThat(pids.status()).isEqualTo(2);
    assertThat(pids.err()).contains("give no PIDs").hasLineCount(1);
    assertThat(watch.status()).isEqualTo(2);
    assertThat(watch.err()).contains("not with --watch").hasLineCount(1);
    assertThat(barePids.status()).isEqualTo(2);
    assertThat(barePids.out()).isEmpty();
    assertThat(barePids.err()).contains("does not print bare PIDs").hasLineCount(1);
    assertThat(empty.status())
        .as("a listing that failed is no evidence of no sessions")
        .isEqualTo(2);
    assertThat(empty.err()).contains("none.json: no line of pgkill --list -o json").hasLineCount(1);
  }

  @Test
  void aMalformedFileIsNamedByFileAndLine() throws Exception {
    Path snapshot =
        recorded(
            "bad.json",
            "{\"type\":\"summary\",\"version\":2,\"sessions\":0}\n" + "PID    USER   STATE\n");

    Run run = Run.of(server.args("--rehearse", snapshot.toString(), "-a", "web"));
    Run missing = Run.of(server.args("--rehearse", dir.resolve("absent.json").toString(), "-l"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: "
                + snapshot
                + ":2: not a JSON object, as pgkill --list -o json writes one per line (see"
                + " pgkill --help)\n");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("absent.json").contains("no such file").hasLineCount(1);
  }
}
