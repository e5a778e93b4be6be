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
import dev.pgkill.testing.PgkillSession;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Pty;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Scratch;
import dev.pgkill.testing.ServiceProcess;
import dev.pgkill.testing.StubbornQuery;
import dev.pgkill.testing.ThreeServers;
import dev.pgkill.testing.Victim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One pgkill over several real servers: three majors side by side (the shared one, of the build's
 * major, and two older ones the pom names, started once for this class), and a port where nothing
 * listens for a server that is down.
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
  void theServersAreThreeMajors() {
    assertThat(three.all().stream().map(PostgresServer::major).distinct())
        .as(
            "the majors of the servers; the build names the two older ones' binaries in -D"
                + ThreeServers.BINARIES)
        .hasSize(3);
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

  /** A policy file of one rule that cancels the sessions of {@code application}. */
  private static Path cancelPolicy(Scratch scratch, String application) {
    return cancelPolicy(scratch, application, "");
  }

  /** The same, with {@code more} of the rule's keys. */
  private static Path cancelPolicy(Scratch scratch, String application, String more) {
    return scratch.write(
        "policy.toml",
        ("[rule.runaway]\ncancel = true\nstate = [\"active\"]\napplication = \""
                + application
                + "\"\nreason = \"reports run at night\"\n"
                + more)
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPolicyAppliesEveryRuleOnEachServerAndLeavesBystanders() throws Exception {
    String app = unique("fleet-policy");
    List<Victim> victims = onEach(app);
    List<Victim> bystanders = onEach(app + "-bystander");
    try (Scratch scratch = new Scratch()) {
      Path policy = cancelPolicy(scratch, app);

      Run rehearsal = Run.of(over(three.all(), "--policy", policy.toString(), "-n", "-o", "json"));

      assertThat(rehearsal.status()).as(rehearsal.out() + rehearsal.err()).isZero();
      List<Map<String, Object>> lines = rehearsal.out().lines().map(AuditLines::line).toList();
      for (int i = 0; i < 3; i++) {
        assertThat(lines.get(3 * i))
            .containsEntry("type", "rule")
            .containsEntry("rule", "runaway")
            .containsEntry("reason", "reports run at night");
        assertThat(lines.get(3 * i + 1))
            .containsEntry("type", "target")
            .containsEntry("pid", victims.get(i).pid());
        for (int line = 3 * i; line < 3 * i + 3; line++) {
          assertThat(lines.get(line).get("server"))
              .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
              .containsEntry("label", label(three.get(i)))
              .containsEntry("port", three.get(i).port());
        }
      }
      assertThat(lines.get(9))
          .containsEntry("type", "run")
          .containsEntry("policy", true)
          .containsEntry("dry_run", true)
          .containsEntry("would_signal", 3)
          .containsEntry("status", 0);
      assertThat(lines).hasSize(10);
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }

      Run run = Run.of(over(three.all(), "--policy", policy.toString(), "--parallel", "2"));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      for (int i = 0; i < 3; i++) {
        assertThat(victims.get(i).failure().getSQLState()).isEqualTo("57014");
        assertThat(bystanders.get(i).stillSleeping()).isTrue();
        String label = label(three.get(i));
        assertThat(run.out())
            .contains(label + ": rule runaway: reports run at night\n")
            .containsPattern(
                "(?m)^" + label + " +" + victims.get(i).pid() + " +postgres .*signalled")
            .contains(label + ": cancel: 1 of 1 target signalled\n");
      }
      assertThat(run.out().indexOf(label(three.get(0)) + ": rule runaway"))
          .isLessThan(run.out().indexOf(label(three.get(1)) + ": rule runaway"));
      assertThat(run.out())
          .endsWith("all 3 servers: 3 reached; policy: 3 of 3 targets signalled\n");
      assertThat(run.err()).isEmpty();

      // As on one server, a cron run that found nothing prints nothing, so cron mails nothing.
      Run again = Run.of(over(three.all(), "--policy", policy.toString()));
      assertThat(again.status()).isEqualTo(1);
      assertThat(again.out() + again.err()).isEmpty();
    } finally {
      closeAll(victims);
      closeAll(bystanders);
    }
  }

  @Test
  void aPolicyOverAServerThatIsDownSaysSoAndTheOthersAreDone() throws Exception {
    String app = unique("fleet-policy-down");
    List<Victim> victims = onEach(app);
    int dead = ThreeServers.deadPort();
    try (Scratch scratch = new Scratch()) {
      Path policy = cancelPolicy(scratch, app);
      Path audit = scratch.directory().resolve("audit.log");

      Run run =
          Run.of(
              over(
                  three.all(),
                  List.of("--server", "host=localhost port=" + dead + " connect_timeout=5"),
                  "--policy",
                  policy.toString(),
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
                  + "); policy: 3 of 3 targets signalled\n");
      assertThat(AuditLines.of(audit).stream().filter(l -> "unreachable".equals(l.get("decision"))))
          .singleElement()
          .satisfies(l -> assertThat(l).containsEntry("rule", "runaway"));

      Run none =
          Run.of(
              "--server",
              "host=localhost port=" + dead,
              "--server",
              "host=localhost port=" + ThreeServers.deadPort(),
              "--policy",
              policy.toString());
      assertThat(none.status()).isEqualTo(3);
      assertThat(none.err().lines()).hasSize(2).allMatch(l -> l.contains(": could not connect"));

      Run total = Run.of(over(three.all(), "--policy", policy.toString(), "--max-total", "5"));
      assertThat(total.status()).isEqualTo(2);
      assertThat(total.err())
          .isEqualTo(
              "pgkill: error: --max-total does not go with --policy: each rule's max counts on"
                  + " each server (see pgkill --help)\n");
    } finally {
      closeAll(victims);
    }
  }

  /**
   * Starts a sleeping session of {@code application} and returns once something (the watch under
   * test) has cancelled it.
   */
  private static void cancelledSleeper(PostgresServer on, String application) throws Exception {
    List<Victim> sleeper = Victim.sleepers(on, application, 1);
    try {
      assertThat(sleeper.get(0).failure().getSQLState()).isEqualTo("57014");
    } finally {
      closeAll(sleeper);
    }
  }

  @Test
  void aWatchOverTwoServersWatchesEachAndOutlivesOnesRestart() throws Exception {
    String app = unique("fleet-watch");
    List<PostgresServer> started = new ArrayList<>();
    started.add(PostgresServer.start(Map.of(), true));
    PostgresServer own = started.get(0);
    String ownLabel = label(own);
    try (Scratch scratch = new Scratch()) {
      // A watch must not cancel a sleeper before the test has seen it sleep.
      Path policy = cancelPolicy(scratch, app, "running-longer-than = \"1s\"\n");
      try (ServiceProcess watch =
          ServiceProcess.start(
              scratch.directory(),
              over(
                  List.of(shared, own),
                  "--policy",
                  policy.toString(),
                  "--watch",
                  "200ms",
                  "--metrics-port",
                  "127.0.0.1:0",
                  "-v"))) {
        watch.awaitErr("pgkill: " + label(shared) + ": connected to ");
        watch.awaitErr("pgkill: " + ownLabel + ": connected to ");
        // Sessions that began after the watch did, on each server.
        cancelledSleeper(shared, app);
        cancelledSleeper(own, app);

        PostgresServer restarted =
            own.restart(
                () -> {
                  watch.awaitErr("pgkill: warning: " + ownLabel + ": ");
                  // One server down holds the other back in nothing.
                  cancelledSleeper(shared, app);
                });
        started.add(restarted);

        watch.awaitErr(ownLabel + ": connected again to ");
        cancelledSleeper(restarted, app);
        assertThat(watch.alive()).isTrue();
        String metrics = scrape(watch);

        watch.signal("TERM");

        assertThat(watch.awaitExit(Duration.ofSeconds(30))).as(watch.err()).isZero();
        for (String label : List.of(label(shared), ownLabel)) {
          assertThat(watch.out())
              .contains(
                  label + ": rule runaway: reports run at night\n",
                  label + ": cancel: 1 of 1 target signalled\n");
          assertThat(metrics)
              .contains("pgkill_connected{server=\"" + label + "\"} 1.0")
              .contains(
                  "pgkill_sessions_total{result=\"signalled\",rule=\"runaway\",server=\""
                      + label
                      + "\"} 2.0");
          assertThat(watch.err()).contains("pgkill: " + label + ": stopped after ");
        }
        assertThat(metrics)
            .containsPattern("pgkill_server_errors_total\\{server=\"" + ownLabel + "\"} [1-9]")
            .contains("pgkill_server_errors_total{server=\"" + label(shared) + "\"} 0.0");
        assertThat(watch.err().lines().filter(l -> l.startsWith("pgkill: warning: ")))
            .isNotEmpty()
            .allMatch(l -> l.startsWith("pgkill: warning: " + ownLabel + ": "));
      }
    } finally {
      for (PostgresServer server : started) {
        server.close();
      }
    }
  }

  /** What the watch's metrics say now, at the address it said it serves them on. */
  private static String scrape(ServiceProcess watch) throws Exception {
    watch.awaitErr("serving metrics at /metrics on 127.0.0.1, port ");
    String line =
        watch.err().lines().filter(l -> l.contains("serving metrics")).findFirst().orElseThrow();
    java.net.URI uri =
        java.net.URI.create(
            "http://127.0.0.1:" + line.substring(line.lastIndexOf(' ') + 1) + "/metrics");
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(uri).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String quote(Object word) {
    return "'" + word.toString().replace("'", "'\\''") + "'";
  }

  @Test
  void aRealTerminalShowsEachServersCountAndItsOneAnswerDecidesForAll() throws Exception {
    String app = unique("fleet-tty");
    List<Victim> two = Victim.sleepers(three.get(0), app, 2);
    List<Victim> one = Victim.sleepers(three.get(2), app, 1);
    try (Scratch scratch = new Scratch()) {
      Path output = scratch.directory().resolve("out");
      // Standard input and output redirected: the question is asked on the controlling terminal.
      String pgkill =
          String.join(
                  " ",
                  PgkillProcess.jar(over(three.all(), "--cancel", "-a", app)).stream()
                      .map(FleetIT::quote)
                      .toList())
              + " > "
              + quote(output)
              + " < /dev/null";
      try (Pty pty = new Pty(pgkill)) {
        pty.awaitScreen("? [y/N] ");
        pty.type("n\n");

        assertThat(pty.exitStatus()).as(pty.screen()).isEqualTo(5);
        assertThat(pty.screen())
            .contains(label(three.get(0)) + ": 2 sessions")
            .contains(label(three.get(2)) + ": 1 session")
            .doesNotContain(label(three.get(1)) + ": 0")
            .contains("Cancel 3 sessions on 2 servers? [y/N] ");
        assertThat(pty.screen().split("\\[y/N\\]", -1)).hasSize(2);
        // The one answer refused the whole run: said once, not once per server.
        assertThat(pty.screen().split("not confirmed", -1)).hasSize(2);
      }
      for (Victim victim : two) {
        assertThat(victim.stillSleeping()).isTrue();
      }
      assertThat(one.get(0).stillSleeping()).isTrue();

      try (Pty pty = new Pty(pgkill)) {
        pty.awaitScreen("? [y/N] ");
        pty.type("y\n");

        assertThat(pty.exitStatus()).as(pty.screen()).isZero();
      }
      for (Victim victim : two) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      }
      assertThat(one.get(0).failure().getSQLState()).isEqualTo("57014");
      assertThat(Files.readString(output))
          .doesNotContain("[y/N]")
          .endsWith("all 3 servers: 3 reached; cancel: 3 of 3 targets signalled\n");
    } finally {
      closeAll(two);
      closeAll(one);
    }
  }

  @Test
  void stoppedWhileWaitingItShowsWhatEachServerSignalledSoFar() throws Exception {
    String app = unique("fleet-stop");
    List<PostgresServer> two = List.of(three.get(0), three.get(1));
    List<Victim> idle = new ArrayList<>();
    for (PostgresServer server : two) {
      // A cancel never ends a session idle in its transaction: the wait lasts until the stop.
      idle.add(Victim.idleInTransaction(server, app));
    }
    try {
      List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM"));
      command.addAll(PgkillProcess.jar(over(two, "--cancel", "--wait=60s", "-a", app, "-y")));
      PgkillProcess.Exited exited;
      try (PgkillProcess process = PgkillProcess.start(PgkillProcess.builder(command), "")) {
        for (PostgresServer server : two) {
          PgkillSession.awaitWaiting(server, PostgresServer.SUPERUSER);
        }
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
        assertThat(kill.waitFor()).isZero();
        exited = process.awaitExit(30, TimeUnit.SECONDS);
      }

      assertThat(exited.status()).as(exited.out() + exited.err()).isEqualTo(130);
      for (int i = 0; i < 2; i++) {
        assertThat(exited.out())
            .containsPattern(
                "(?m)^"
                    + label(two.get(i))
                    + " +"
                    + idle.get(i).pid()
                    + " .*signalled, then pgkill was stopped after waiting");
        assertThat(idle.get(i).usable()).isTrue();
      }
      assertThat(exited.out())
          .endsWith(
              "all 2 servers: 2 reached; cancel: 2 of 2 targets signalled; 0 ended, 2 did not\n");
    } finally {
      closeAll(idle);
    }
  }

  @Test
  void aPolicyStoppedWhileARuleWaitsShowsWhatEachServerSignalledSoFar() throws Exception {
    String app = unique("fleet-policy-stop");
    List<PostgresServer> two = List.of(three.get(0), three.get(1));
    List<StubbornQuery> stubborn = new ArrayList<>();
    try (Scratch scratch = new Scratch()) {
      for (PostgresServer server : two) {
        // It shrugs off every cancel: the rule's wait lasts until pgkill is stopped.
        stubborn.add(StubbornQuery.start(server, app));
      }
      Path policy =
          scratch.write(
              "policy.toml",
              ("[rule.stubborn]\ncancel = true\nwait = \"60s\"\napplication = \"" + app + "\"\n")
                  .getBytes(StandardCharsets.UTF_8));
      try (ServiceProcess cron =
          ServiceProcess.start(scratch.directory(), over(two, "--policy", policy.toString()))) {
        for (StubbornQuery query : stubborn) {
          PostgresServer.await(
              "the cancel to reach the stubborn query",
              Duration.ofSeconds(20),
              () -> query.cancelsCaught() > 0);
        }

        cron.signal("TERM");

        assertThat(cron.awaitExit(Duration.ofSeconds(30))).as(cron.err()).isEqualTo(143);
        for (int i = 0; i < 2; i++) {
          assertThat(cron.out())
              .contains(label(two.get(i)) + ": rule stubborn\n")
              .containsPattern(
                  "(?m)^"
                      + label(two.get(i))
                      + " +"
                      + stubborn.get(i).pid()
                      + " .*then pgkill was stopped");
        }
        assertThat(cron.out())
            .contains("all 2 servers: 2 reached; policy: 2 of 2 targets signalled");
      }
    } finally {
      for (StubbornQuery query : stubborn) {
        query.close();
      }
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
      // One decision for the run, said once.
      assertThat(total.err().lines())
          .singleElement()
          .asString()
          .isEqualTo(
              "pgkill: error: refusing to cancel 3 sessions on 2 servers: more than --max-total 2;"
                  + " nothing was signalled");
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
