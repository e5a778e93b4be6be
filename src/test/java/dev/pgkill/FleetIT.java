package dev.pgkill;

import static dev.pgkill.testing.Fixtures.unique;
import static dev.pgkill.testing.ThreeServers.conninfo;
import static dev.pgkill.testing.ThreeServers.label;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.cli.Terminal;
import dev.pgkill.select.Target;
import dev.pgkill.testing.AuditLines;
import dev.pgkill.testing.DisabledIfServerVersionBelow;
import dev.pgkill.testing.PgkillProcess;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Scratch;
import dev.pgkill.testing.ThreeServers;
import dev.pgkill.testing.Victim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One pgkill over several real servers: three of the build's major side by side (the shared one and
 * two started once for this class), and a port where nothing listens for a server that is down.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The fan-out does not depend on the major (each server's pass is the one every other IT runs on
// every major), and starting two more servers costs half a minute: the newest majors only.
@DisabledIfServerVersionBelow(18)
class FleetIT {
  private final PostgresServer shared;
  private ThreeServers three;

  FleetIT(PostgresServer shared) {
    this.shared = shared;
  }

  @BeforeAll
  void start() {
    three = ThreeServers.around(shared);
  }

  @AfterAll
  void stop() throws IOException {
    three.close();
  }

  /** {@code --server CONNINFO} for each of the servers, then {@code rest}. */
  private static String[] over(List<PostgresServer> servers, String... rest) {
    List<String> args = new ArrayList<>();
    for (PostgresServer server : servers) {
      args.add("--server");
      args.add(conninfo(server));
    }
    args.addAll(List.of(rest));
    return args.toArray(String[]::new);
  }

  private static String[] over(List<PostgresServer> servers, List<String> more, String... rest) {
    List<String> args = new ArrayList<>(List.of(over(servers)));
    args.addAll(more);
    args.addAll(List.of(rest));
    return args.toArray(String[]::new);
  }

  /** One sleeping superuser session named {@code application} on each server. */
  private List<Victim> onEach(String application) throws SQLException {
    List<Victim> victims = new ArrayList<>();
    for (PostgresServer server : three.all()) {
      victims.addAll(Victim.sleepers(server, application, 1));
    }
    return victims;
  }

  private static void closeAll(List<Victim> victims) throws SQLException {
    Victim.closeAll(victims);
  }

  @Test
  void aFilterEndsTheMatchingVictimOnEachServerAndLeavesBystanders() throws Exception {
    String app = unique("fleet");
    List<Victim> victims = onEach(app);
    List<Victim> bystanders = onEach(app + "-bystander");
    try {
      Run run = Run.of(over(three.all(), "--cancel", "-a", app, "-y"));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      for (int i = 0; i < 3; i++) {
        assertThat(victims.get(i).failure().getSQLState()).isEqualTo("57014");
        assertThat(bystanders.get(i).stillSleeping()).isTrue();
        String label = label(three.get(i));
        assertThat(run.out())
            .containsPattern(
                "(?m)^" + label + " +" + victims.get(i).pid() + " +postgres .*signalled")
            .contains(label + ": cancel: 1 of 1 target signalled\n");
      }
      assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("SERVER ");
      assertThat(run.out())
          .endsWith("all 3 servers: 3 reached; cancel: 3 of 3 targets signalled\n");
    } finally {
      closeAll(victims);
      closeAll(bystanders);
    }
  }

  @Test
  void everyJsonLineNamesItsServer() throws Exception {
    String app = unique("fleet-json");
    List<Victim> victims = onEach(app);
    try {
      Run run = Run.of(over(three.all(), "--terminate", "-a", app, "-y", "-o", "json"));

      assertThat(run.status()).as(run.err()).isZero();
      List<Map<String, Object>> lines = run.out().lines().map(AuditLines::line).toList();
      for (int i = 0; i < 3; i++) {
        assertThat(victims.get(i).failure().getSQLState()).isEqualTo("57P01");
        PostgresServer server = three.get(i);
        String identifier =
            server.queryString(
                PostgresServer.SUPERUSER,
                "select system_identifier::text from pg_control_system()");
        Map<String, Object> target = lines.get(2 * i);
        assertThat(target)
            .containsEntry("type", "target")
            .containsEntry("pid", victims.get(i).pid());
        assertThat(target.get("server"))
            .isEqualTo(
                Map.of(
                    "label",
                    label(server),
                    "host",
                    "127.0.0.1",
                    "port",
                    server.port(),
                    "system_identifier",
                    identifier,
                    "in_recovery",
                    false));
        assertThat(lines.get(2 * i + 1))
            .containsEntry("type", "summary")
            .containsEntry("server", target.get("server"));
      }
      assertThat(lines.get(6))
          .containsEntry("type", "run")
          .containsEntry("servers", 3)
          .containsEntry("reached", 3)
          .containsEntry("signalled", 3)
          .containsEntry("status", 0);
      assertThat(lines).hasSize(7);
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void aServerThatIsDownIsOneLineOfItsOwnAndTheOthersAreDone() throws Exception {
    String app = unique("fleet-down");
    List<Victim> victims = onEach(app);
    int dead = ThreeServers.deadPort();
    try (Scratch scratch = new Scratch()) {
      Path audit = scratch.directory().resolve("audit.log");
      Run run =
          Run.of(
              over(
                  three.all(),
                  List.of("--server", "host=localhost port=" + dead + " connect_timeout=5"),
                  "--cancel",
                  "-a",
                  app,
                  "-y",
                  "--audit-log",
                  audit.toString()));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(4);
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      }
      assertThat(run.err().lines())
          .singleElement()
          .asString()
          .startsWith("pgkill: error: localhost:" + dead + ": could not connect");
      assertThat(run.out())
          .endsWith(
              "all 4 servers: 3 reached, 1 not (localhost:"
                  + dead
                  + "); cancel: 3 of 3 targets signalled\n");
      List<Map<String, Object>> lines = AuditLines.of(audit);
      assertThat(lines).hasSize(4);
      assertThat(lines.stream().filter(l -> "unreachable".equals(l.get("decision"))))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l.get("server"))
                      .isEqualTo(
                          Map.of("label", "localhost:" + dead, "host", "localhost", "port", dead)));
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void aMistakeOnlyTheServersFindIsSaidInTheirWords() {
    // No server here computes query IDs: each pass finds that, after connecting.
    Run run = Run.of(over(three.all(), "--list", "--query-id", "42"));

    assertThat(run.err())
        .contains(label(three.get(0)) + ": --query-id cannot match")
        .doesNotContain("UsageError");
  }

  @Test
  void noServerReachedIsExitStatusThree() {
    Run run =
        Run.of(
            "--server",
            "host=localhost port=" + ThreeServers.deadPort(),
            "--server",
            "host=localhost port=" + ThreeServers.deadPort(),
            "--cancel",
            "-a",
            "anything",
            "-y");

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err().lines()).hasSize(2).allMatch(l -> l.contains(": could not connect"));
    assertThat(run.out()).startsWith("all 2 servers: 0 reached, 2 not (localhost:");
  }

  @Test
  void maxCountsPerServerAndMaxTotalOverTheRun() throws Exception {
    String app = unique("fleet-max");
    List<Victim> two = Victim.sleepers(three.get(0), app, 2);
    List<Victim> one = Victim.sleepers(three.get(1), app, 1);
    try {
      Run total = Run.of(over(three.all(), "--cancel", "-a", app, "-y", "--max-total", "2"));

      assertThat(total.status()).as(total.out() + total.err()).isEqualTo(5);
      assertThat(total.err())
          .contains("refusing to cancel 3 sessions on 2 servers: more than --max-total 2");
      for (Victim victim : two) {
        assertThat(victim.stillSleeping()).isTrue();
      }
      assertThat(one.get(0).stillSleeping()).isTrue();

      Run perServer = Run.of(over(three.all(), "--cancel", "-a", app, "-y", "--max", "1"));

      assertThat(perServer.status()).as(perServer.out() + perServer.err()).isEqualTo(4);
      assertThat(perServer.err().lines())
          .singleElement()
          .asString()
          .isEqualTo(
              "pgkill: error: "
                  + label(three.get(0))
                  + ": refusing to cancel 2 sessions: more than --max 1; nothing was signalled");
      for (Victim victim : two) {
        assertThat(victim.stillSleeping()).isTrue();
      }
      assertThat(one.get(0).failure().getSQLState()).isEqualTo("57014");
      assertThat(perServer.out())
          .endsWith(
              "all 3 servers: 3 reached, refused on "
                  + label(three.get(0))
                  + "; cancel: 1 of 1 target signalled\n");
    } finally {
      closeAll(two);
      closeAll(one);
    }
  }

  @Test
  void oneServerAtATimeGivesWhatEightAtATimeGive() throws Exception {
    String app = unique("fleet-parallel");
    List<Victim> victims = onEach(app);
    try {
      Run dryRun = Run.of(over(three.all(), "--terminate", "-n", "-a", app, "--parallel", "1"));
      assertThat(dryRun.status()).as(dryRun.err()).isZero();
      assertThat(dryRun.out())
          .contains(label(three.get(2)) + ": dry run: would terminate 1 of 1 target;")
          .endsWith(
              "all 3 servers: 3 reached; dry run: would terminate 3 of 3 targets; nothing was"
                  + " signalled\n");

      Run one = Run.of(over(three.all(), "--list", "-a", app, "-o", "pid", "--parallel", "1"));
      Run eight = Run.of(over(three.all(), "--list", "-a", app, "-o", "pid", "--parallel", "8"));

      assertThat(one.status()).isZero();
      assertThat(one.out())
          .isEqualTo(eight.out())
          .isEqualTo(victims.stream().map(v -> v.pid() + "\n").reduce("", String::concat));

      Run signalled = Run.of(over(three.all(), "--terminate", "-a", app, "-y", "--parallel", "1"));
      assertThat(signalled.status()).as(signalled.err()).isZero();
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void thePersonAtTheTerminalIsAskedOnceWithTheCountOfEachServer() throws Exception {
    String app = unique("fleet-ask");
    List<Victim> two = Victim.sleepers(three.get(0), app, 2);
    List<Victim> one = Victim.sleepers(three.get(2), app, 1);
    try {
      StringBuilder declined = new StringBuilder();
      Terminal no = Run.person(new ArrayDeque<>(List.of("n")), declined);
      Run refused = Run.with(Map.of(), "", no, over(three.all(), "--cancel", "-a", app));

      assertThat(refused.status()).isEqualTo(5);
      assertThat(declined.toString())
          .contains(label(three.get(0)) + ": 2 sessions\n")
          .contains(label(three.get(2)) + ": 1 session\n")
          .doesNotContain(label(three.get(1)) + ":")
          .endsWith("Cancel 3 sessions on 2 servers? [y/N] \n");
      assertThat(declined.toString().split("\\[y/N\\]", -1)).hasSize(2);
      assertThat(one.get(0).stillSleeping()).isTrue();

      StringBuilder accepted = new StringBuilder();
      Terminal yes = Run.person(new ArrayDeque<>(List.of("y")), accepted);
      Run run = Run.with(Map.of(), "", yes, over(three.all(), "--cancel", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      for (Victim victim : two) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      }
      assertThat(one.get(0).failure().getSQLState()).isEqualTo("57014");
    } finally {
      closeAll(two);
      closeAll(one);
    }
  }

  @Test
  void aServiceIsLabelledByItsNameAndABadServersFileLineIsAUsageError() throws Exception {
    String app = unique("fleet-service");
    List<Victim> victims = Victim.sleepers(three.get(1), app, 1);
    try (Scratch scratch = new Scratch()) {
      Path services =
          scratch.write(
              "pg_service.conf",
              ("[second]\nhost=localhost\nport=" + three.get(1).port() + "\nuser=postgres\n")
                  .getBytes(StandardCharsets.UTF_8));
      Path list =
          scratch.write(
              "servers",
              ("# the fleet\n\nservice=second\n" + conninfo(three.get(0)) + "\n")
                  .getBytes(StandardCharsets.UTF_8));
      Map<String, String> env = Map.of("PGSERVICEFILE", services.toString());

      Run run = Run.with(env, "", Terminal.NONE, "--servers", list.toString(), "--list", "-a", app);

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(run.out())
          .containsPattern("(?m)^second +" + victims.get(0).pid() + " ")
          .contains("second: 1 session\n", label(three.get(0)) + ": 0 sessions\n");

      Path bad =
          scratch.write("bad", ("service=second\nnot a server\n").getBytes(StandardCharsets.UTF_8));
      Run usage = Run.with(env, "", Terminal.NONE, "--servers", bad.toString(), "--list");
      assertThat(usage.status()).isEqualTo(2);
      assertThat(usage.out()).isEmpty();
      assertThat(usage.err().lines()).singleElement().asString().contains(bad + ":2: ");

      Run service = Run.with(env, "", Terminal.NONE, "--service", "nosuch", "--list");
      assertThat(service.status()).isEqualTo(2);
      assertThat(service.err()).contains("--service \"nosuch\": ");

      assertThat(Run.of("--server", "host=x", "--parallel", "0", "--list").status()).isEqualTo(2);

      // -h -p -U fill in what an entry leaves unset, as psql's do after -d's conninfo.
      Run defaults =
          Run.of(
              "-h",
              "localhost",
              "-U",
              PostgresServer.SUPERUSER,
              "--server",
              "port=" + three.get(1).port(),
              "--list",
              "-a",
              app,
              "-o",
              "pid");
      assertThat(defaults.status()).as(defaults.err()).isZero();
      assertThat(defaults.out()).isEqualTo(victims.get(0).pid() + "\n");
      assertThat(victims.get(0).stillSleeping()).isTrue();
    } finally {
      closeAll(victims);
    }
  }

  private static String systemIdentifier(PostgresServer server) throws SQLException {
    return server.queryString(
        PostgresServer.SUPERUSER, "select system_identifier::text from pg_control_system()");
  }

  @Test
  void idsTakenOnOneServerAreRefusedOnAnotherAndWorkOnTheirOwn() throws Exception {
    String app = unique("fleet-ids");
    PostgresServer a = three.get(0);
    PostgresServer b = three.get(1);
    List<Victim> victims = Victim.sleepers(a, app, 1);
    List<Victim> onB = Victim.sleepers(b, app, 1);
    try {
      Run list = Run.of(a.args("--list", "-o", "id", "-a", app));
      Victim victim = victims.get(0);
      assertThat(list.out())
          .isEqualTo(
              victim.pid()
                  + "@"
                  + dev.pgkill.text.Timestamps.utc(victim.backendStart())
                  + "@"
                  + systemIdentifier(a)
                  + "\n");

      Run elsewhere = Run.withStdin(list.out(), b.args("--terminate", "-"));

      assertThat(elsewhere.status()).as(elsewhere.out() + elsewhere.err()).isEqualTo(1);
      assertThat(elsewhere.lineOf(victim.pid()))
          .contains(
              "not signalled: its id was taken on another server (system identifier "
                  + systemIdentifier(a)
                  + ")");
      assertThat(victim.stillSleeping()).isTrue();
      assertThat(onB.get(0).stillSleeping()).isTrue();

      Run home = Run.withStdin(list.out(), a.args("--terminate", "-"));

      assertThat(home.status()).as(home.out() + home.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
    } finally {
      closeAll(victims);
      closeAll(onB);
    }
  }

  @Test
  void withSeveralServersEachIdGoesToTheServerItNames() throws Exception {
    String app = unique("fleet-route");
    List<Victim> onA = Victim.sleepers(three.get(0), app, 1);
    List<Victim> onB = Victim.sleepers(three.get(1), app, 1);
    List<Victim> onC = Victim.sleepers(three.get(2), app, 1);
    try {
      String ids =
          Run.of(three.get(0).args("--list", "-o", "id", "-a", app)).out()
              + Run.of(three.get(2).args("--list", "-o", "id", "-a", app)).out();
      Run list = Run.of(over(three.all(), "--list", "-o", "id", "-a", app));
      assertThat(list.out())
          .isEqualTo(
              ids.substring(0, ids.indexOf('\n') + 1)
                  + Run.of(three.get(1).args("--list", "-o", "id", "-a", app)).out()
                  + ids.substring(ids.indexOf('\n') + 1));

      Run replay = Run.withStdin(ids, over(three.all(), "--cancel", "-"));

      assertThat(replay.status()).as(replay.out() + replay.err()).isZero();
      assertThat(onA.get(0).failure().getSQLState()).isEqualTo("57014");
      assertThat(onC.get(0).failure().getSQLState()).isEqualTo("57014");
      assertThat(onB.get(0).stillSleeping()).isTrue();
      assertThat(replay.out())
          .contains(label(three.get(1)) + ": cancel: 0 of 0 targets signalled\n")
          .endsWith("all 3 servers: 3 reached; cancel: 2 of 2 targets signalled\n");

      // One server's only target gone: that server failed its part, so the run is not a success.
      int goneOnC = onC.get(0).pid();
      three.get(2).execute("select pg_terminate_backend(" + goneOnC + ")");
      PostgresServer.await(
          "the victim on C to end",
          java.time.Duration.ofSeconds(10),
          () -> !three.get(2).hasBackend(goneOnC));
      Run again = Run.withStdin(ids, over(three.all(), "--cancel", "-"));
      assertThat(again.status()).as(again.out() + again.err()).isEqualTo(4);
      assertThat(again.out())
          .contains(label(three.get(2)) + ": cancel: 0 of 1 target signalled, 1 not\n");

      Run bare =
          Run.withStdin(Integer.toString(onB.get(0).pid()), over(three.all(), "--cancel", "-"));
      assertThat(bare.status()).isEqualTo(2);
      assertThat(bare.err()).contains("PID@BACKEND_START@SYSTEM_IDENTIFIER");
      assertThat(onB.get(0).stillSleeping()).isTrue();
    } finally {
      closeAll(onA);
      closeAll(onB);
      closeAll(onC);
    }
  }

  @Test
  void aRoleThatCannotReadTheSystemIdentifierPrintsTwoPartIdsAndSaysSoAtVerbose() throws Exception {
    PostgresServer own = three.get(2);
    String app = unique("fleet-hidden");
    String plain = own.createRole("plain", "in role pg_read_all_stats");
    List<Victim> victims = Victim.sleepers(own, app, 1);
    own.execute("revoke execute on function pg_control_system() from public");
    try {
      // -v logs to the process's standard error: run it as a process.
      PgkillProcess.Exited run =
          PgkillProcess.run(
              PgkillProcess.builder(
                  PgkillProcess.jar(own.argsAs(plain, "--list", "-o", "id", "-a", app, "-v"))),
              "");

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(run.out())
          .isEqualTo(Target.token(victims.get(0).pid(), victims.get(0).backendStart()) + "\n");
      assertThat(run.err()).contains("the server's system identifier is hidden from pgkill's role");
    } finally {
      own.execute("grant execute on function pg_control_system() to public");
      closeAll(victims);
    }
  }
}
