package dev.pgkill;

import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.ServiceProcess;
import dev.pgkill.testing.StubbornQuery;
import dev.pgkill.testing.Victim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --watch}: a real pgkill process run as a service, signalled as systemd signals it. */
@ExtendWith(PostgresExtension.class)
class WatchIT {
  private static final Duration STOP = Duration.ofSeconds(30);

  private final PostgresServer server;
  @TempDir Path dir;

  WatchIT(PostgresServer server) {
    this.server = server;
  }

  /** How long the session has been idle in its transaction, as the server counts it. */
  private double idleSeconds(Victim victim) throws SQLException {
    return Double.parseDouble(
        server.queryString(
            PostgresServer.SUPERUSER,
            "select extract(epoch from now() - state_change) from pg_stat_activity where pid = "
                + victim.pid()));
  }

  /**
   * Starts a sleeping session of {@code application} and returns its PID once the watch has
   * cancelled it (57014), as the rule under test should.
   */
  private static int cancelledSleeper(PostgresServer on, String application) throws Exception {
    List<Victim> sleeper = Victim.sleepers(on, application, 1);
    try {
      assertThat(sleeper.get(0).failure().getSQLState()).isEqualTo("57014");
      return sleeper.get(0).pid();
    } finally {
      Victim.closeAll(sleeper);
    }
  }

  /** Asked of the server: a query in the session itself would make it young again. */
  private boolean ended(Victim victim) {
    return !server.hasBackend(victim.pid());
  }

  @Test
  void endsAnIdleTransactionOnceItIsOldEnoughAndLeavesTheYoungerAlone() throws Exception {
    String app = unique("watch-idle");
    String otherApp = unique("watch-bystander");
    Path policy = dir.resolve("policy.toml");
    Files.writeString(
        policy,
        "[rule.forgotten]\nterminate = true\nstate = [\"idle-in-transaction\"]\n"
            + "idle-longer-than = \"4s\"\napplication = \""
            + app
            + "\"\nreason = \"left open\"\n");
    Victim old = Victim.idleInTransaction(server, app);
    Victim bystander = Victim.idleInTransaction(server, otherApp);
    try (ServiceProcess watch =
        ServiceProcess.start(dir, server.args("--policy", policy.toString(), "--watch", "300ms"))) {
      PostgresServer.await(
          "the first victim to idle 2s", Duration.ofSeconds(10), () -> idle(old) >= 2);
      Victim young = Victim.idleInTransaction(server, app);
      try {
        PostgresServer.await(
            "the watch to end the old transaction", Duration.ofSeconds(10), () -> ended(old));

        assertThat(ended(bystander)).as("another application's transaction").isFalse();
        PostgresServer.await(
            "the watch to end the young transaction in its turn",
            Duration.ofSeconds(10),
            () -> ended(young));
        assertThat(ended(bystander)).isFalse();
        // The backend ends before the pass's report is printed.
        watch.awaitOut("\n" + young.pid() + " ");
        assertThat(watch.out()).contains("rule forgotten: left open");
        // Each was ended at 4s or more by the server's clock, however late a loaded machine made
        // the pass: the age is the one the selection saw, so the young one was left alone before.
        for (Victim victim : List.of(old, young)) {
          assertThat(watch.out().lines().filter(l -> l.startsWith(victim.pid() + " ")))
              .singleElement()
              .asString()
              .containsPattern(" idle in transaction  ([4-9]|[1-9][0-9])s ");
        }

        watch.signal("TERM");
        assertThat(watch.awaitExit(STOP)).isZero();
        assertThat(watch.err()).isEmpty();
      } finally {
        young.close();
      }
    } finally {
      old.close();
      bystander.close();
    }
  }

  private double idle(Victim victim) {
    try {
      return idleSeconds(victim);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void sigtermDuringAPassLetsThePassFinishAndReport() throws Exception {
    String app = unique("watch-stubborn");
    // pgkill's wait for it to end lasts the whole --wait.
    StubbornQuery stubborn = StubbornQuery.start(server, app);
    Path policy = dir.resolve("policy.toml");
    Files.writeString(
        policy, "[rule.stubborn]\ncancel = true\nwait = \"5s\"\napplication = \"" + app + "\"\n");
    try (ServiceProcess watch =
        ServiceProcess.start(dir, server.args("--policy", policy.toString(), "--watch", "1h"))) {
      PostgresServer.await(
          "the cancel to reach the stubborn query",
          Duration.ofSeconds(20),
          () -> stubborn.cancelsCaught() > 0);

      watch.signal("TERM");

      assertThat(watch.awaitExit(STOP)).isZero();
      assertThat(watch.out())
          .contains("rule stubborn\n", Integer.toString(stubborn.pid()), "still running after");
    } finally {
      stubborn.close();
    }
  }

  @Test
  void sighupWithABrokenFileKeepsTheOldRulesAndAGoodOneReplacesThem() throws Exception {
    String first = unique("watch-first");
    String second = unique("watch-second");
    Path policy = dir.resolve("policy.toml");
    Files.writeString(
        policy,
        "[rule.first]\ncancel = true\nrunning-longer-than = \"1s\"\napplication = \""
            + first
            + "\"\n");
    try (ServiceProcess watch =
        ServiceProcess.start(
            dir, server.args("--policy", policy.toString(), "--watch", "200ms", "-v"))) {
      watch.awaitErr("pass 1:");
      Files.writeString(policy, "[rule.first]\ncancel = true\napplication = \n");

      watch.signal("HUP");

      watch.awaitErr("the rules in use stay");
      assertThat(watch.err())
          .contains("pgkill: error: policy \"" + policy + "\", line 3: not valid TOML");
      cancelledSleeper(server, first);

      Files.writeString(
          policy,
          "[rule.second]\ncancel = true\nrunning-longer-than = \"1s\"\napplication = \""
              + second
              + "\"\n");
      watch.signal("HUP");
      watch.awaitErr("re-read policy \"" + policy + "\": 1 rule");
      List<Victim> newlyRuled = Victim.sleepers(server, second, 1);
      List<Victim> noLongerRuled = Victim.sleepers(server, first, 1);
      try {
        assertThat(newlyRuled.get(0).failure().getSQLState()).isEqualTo("57014");
        watch.awaitErr("pass " + (passes(watch.err()) + 1) + ":");
        assertThat(noLongerRuled.get(0).stillSleeping()).isTrue();
      } finally {
        Victim.closeAll(newlyRuled);
        Victim.closeAll(noLongerRuled);
      }

      watch.signal("INT");
      assertThat(watch.awaitExit(STOP)).isZero();
      assertThat(watch.err()).contains("stopped after");
    }
  }

  /** The number of the last pass the watch reported at -v. */
  private static long passes(String err) {
    long last = 0;
    for (String line : err.lines().toList()) {
      if (line.startsWith("pgkill: pass ")) {
        last = Long.parseLong(line.substring(13, line.indexOf(':', 13)));
      }
    }
    return last;
  }

  @Test
  void serverRestartIsSurvivedAndTheNextVictimStillEnded() throws Exception {
    String app = unique("watch-restart");
    try (PostgresServer own = PostgresServer.start(java.util.Map.of(), true)) {
      try (ServiceProcess watch =
          ServiceProcess.start(
              dir,
              own.args(
                  "--watch",
                  "200ms",
                  "--yes",
                  "--cancel",
                  "--running-longer-than",
                  "1s",
                  "--application",
                  app,
                  "-v"))) {
        watch.awaitErr("pass 1:");
        cancelledSleeper(own, app);

        try (PostgresServer again = own.restart()) {
          watch.awaitErr("connected again to");
          cancelledSleeper(again, app);
          assertThat(watch.alive()).isTrue();
          watch.signal("TERM");
          assertThat(watch.awaitExit(STOP)).isZero();
        }
      }
    }
  }

  @Test
  void unreachableServerIsRetriedWithAGrowingWaitNotACrash() throws Exception {
    int nothingListens;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      nothingListens = socket.getLocalPort();
    }
    try (ServiceProcess watch =
        ServiceProcess.start(
            dir,
            "-h",
            "localhost",
            "-p",
            Integer.toString(nothingListens),
            "-U",
            PostgresServer.SUPERUSER,
            "--watch",
            "100ms",
            "--yes",
            "--cancel",
            "--application",
            unique("nowhere"))) {
      PostgresServer.await(
          "three failed connects",
          Duration.ofSeconds(30),
          () -> watch.err().lines().filter(l -> l.contains("cannot connect")).count() >= 3);

      assertThat(watch.alive()).isTrue();
      List<Double> waits =
          watch
              .err()
              .lines()
              .filter(l -> l.contains("trying again in "))
              .map(l -> Double.parseDouble(l.replaceAll(".*trying again in ([0-9.]+)s$", "$1")))
              .toList();
      assertThat(waits.get(0)).isBetween(0.5, 1.0);
      assertThat(waits.get(1)).isBetween(1.0, 2.0);
      assertThat(waits.get(2)).isBetween(2.0, 4.0);
      watch.signal("TERM");
      assertThat(watch.awaitExit(STOP)).isZero();
    }
  }

  @Test
  void metricsScrapedOverHttpShowThePassesAndSignalsMoving() throws Exception {
    String app = unique("watch-metrics");
    Path policy = dir.resolve("policy.toml");
    Files.writeString(
        policy,
        "[rule.reports]\ncancel = true\nrunning-longer-than = \"1s\"\napplication = \""
            + app
            + "\"\n");
    try (ServiceProcess watch =
        ServiceProcess.start(
            dir,
            server.args(
                "--policy",
                policy.toString(),
                "--watch",
                "200ms",
                "--metrics-port",
                "127.0.0.1:0",
                "-v"))) {
      watch.awaitErr("serving metrics at /metrics on 127.0.0.1, port ");
      String line =
          watch.err().lines().filter(l -> l.contains("serving metrics")).findFirst().orElseThrow();
      java.net.URI uri =
          java.net.URI.create(
              "http://127.0.0.1:" + line.substring(line.lastIndexOf(' ') + 1) + "/metrics");
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      watch.awaitErr("pass 2:");
      String before = scrape(http, uri);
      assertThat(before)
          .contains("pgkill_connected 1.0")
          .contains("pgkill_sessions_matched_total{rule=\"reports\"} 0.0");
      double passesBefore = value(before, "pgkill_passes_total{status=\"ok\"}");
      assertThat(passesBefore).isGreaterThanOrEqualTo(2);

      cancelledSleeper(server, app);
      PostgresServer.await(
          "the cancel to be counted",
          Duration.ofSeconds(10),
          () -> scrape(http, uri).contains("pgkill_sessions_matched_total{rule=\"reports\"} 1.0"));
      String after = scrape(http, uri);
      assertThat(value(after, "pgkill_passes_total{status=\"ok\"}")).isGreaterThan(passesBefore);
      assertThat(after)
          .contains("pgkill_sessions_total{result=\"signalled\",rule=\"reports\"} 1.0")
          .contains("pgkill_last_successful_pass_timestamp_seconds ");
      watch.signal("TERM");
      assertThat(watch.awaitExit(STOP)).isZero();
    }
  }

  private static String scrape(java.net.http.HttpClient http, java.net.URI uri) {
    try {
      java.net.http.HttpResponse<String> response =
          http.send(
              java.net.http.HttpRequest.newBuilder(uri).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of one sample, by its name and labels as the exposition writes them. */
  private static double value(String exposition, String sample) {
    return exposition
        .lines()
        .filter(l -> l.startsWith(sample + " "))
        .map(l -> Double.parseDouble(l.substring(sample.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(sample + " not in " + exposition));
  }

  @Test
  void sighupReopensTheAuditFileThatLogrotateMoved() throws Exception {
    String app = unique("watch-audit");
    Path policy = dir.resolve("policy.toml");
    Files.writeString(
        policy,
        "[rule.reports]\ncancel = true\nrunning-longer-than = \"1s\"\napplication = \""
            + app
            + "\"\nreason = \"reports run at night\"\n");
    Path audit = dir.resolve("audit.log");
    Path rotated = dir.resolve("audit.log.1");
    try (ServiceProcess watch =
        ServiceProcess.start(
            dir,
            server.args(
                "--policy",
                policy.toString(),
                "--watch",
                "200ms",
                "--audit-log",
                audit.toString(),
                "-v"))) {
      watch.awaitErr("pass 1:");
      int first = cancelledSleeper(server, app);
      PostgresServer.await(
          "the first line", Duration.ofSeconds(10), () -> lines(audit).size() == 1);
      Files.move(audit, rotated);

      watch.signal("HUP");
      watch.awaitErr("re-read policy");
      int second = cancelledSleeper(server, app);
      PostgresServer.await(
          "a line in the new file", Duration.ofSeconds(10), () -> lines(audit).size() == 1);

      assertThat(lines(rotated)).singleElement().asString().contains("\"pid\":" + first);
      com.fasterxml.jackson.databind.JsonNode line =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines(audit).get(0));
      assertThat(line.path("rule").asText()).isEqualTo("reports");
      assertThat(line.path("reason").asText()).isEqualTo("reports run at night");
      assertThat(line.path("action").asText()).isEqualTo("cancel");
      assertThat(line.path("decision").asText()).isEqualTo("signalled");
      assertThat(line.path("pid").asInt()).isEqualTo(second);
      assertThat(line.path("session").path("application").asText()).isEqualTo(app);
      watch.signal("TERM");
      assertThat(watch.awaitExit(STOP)).isZero();
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aPasswordTheServerRefusesBeforeAnyPassEndsTheWatchNotRetriedForever() throws Exception {
    String role = server.createRole("watchpw", "");
    server.prependHba("host all " + role + " 127.0.0.1/32 scram-sha-256");
    try (ServiceProcess watch =
        ServiceProcess.start(
            dir,
            java.util.Map.of("PGPASSWORD", "wrong"),
            server.argsAs(
                role, "--watch", "200ms", "--yes", "--cancel", "--application", unique("pw")))) {
      assertThat(watch.awaitExit(STOP)).isEqualTo(3);
      assertThat(watch.err())
          .contains("pgkill: error: cannot connect: ")
          .contains("28P01")
          .endsWith("; fix the settings and start again\n");
    }
  }

  @Test
  void anAuditLineThatCannotBeWrittenStopsTheWatchWithStatus3() throws Exception {
    String app = unique("watch-full");
    try (ServiceProcess watch =
        ServiceProcess.start(
            dir,
            server.args(
                "--watch",
                "200ms",
                "--yes",
                "--cancel",
                "--running-longer-than",
                "1s",
                "--application",
                app,
                "--audit-log",
                "/dev/full",
                "-v"))) {
      watch.awaitErr("pass 1:");
      List<Victim> victims = Victim.sleepers(server, app, 2);
      try {
        assertThat(watch.awaitExit(STOP)).isEqualTo(3);
        assertThat(watch.err()).contains("could not write to the audit log /dev/full");
      } finally {
        Victim.closeAll(victims);
      }
    }
  }
}
