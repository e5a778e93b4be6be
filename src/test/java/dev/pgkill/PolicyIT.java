package dev.pgkill;

import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.ServiceProcess;
import dev.pgkill.testing.StubbornQuery;
import dev.pgkill.testing.Victim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --policy FILE}: every rule once, in file order, as cron runs it. */
@ExtendWith(PostgresExtension.class)
class PolicyIT {
  private final PostgresServer server;
  @TempDir Path dir;

  PolicyIT(PostgresServer server) {
    this.server = server;
  }

  private Path policy(String text) throws IOException {
    Path file = dir.resolve("policy.toml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void twoRulesApplyInFileOrderAndLeaveBystandersAlone() throws Exception {
    String reports = unique("pol-reports");
    String forgotten = unique("pol-forgotten");
    String bystanderApp = unique("pol-bystander");
    List<Victim> sleepers = Victim.sleepers(server, reports, 1);
    Victim idle = Victim.idleInTransaction(server, forgotten);
    List<Victim> bystanders = Victim.sleepers(server, bystanderApp, 1);
    Path file =
        policy(
            "[rule.runaway-reports]\ncancel = true\napplication = \""
                + reports
                + "\"\nrunning-longer-than = \"1ms\"\nreason = \"reports run at night\"\n\n"
                + "[rule.forgotten]\nterminate = true\nstate = [\"idle-in-transaction\"]\n"
                + "application = [\""
                + forgotten
                + "\"]\nidle-longer-than = \"1ms\"\n");
    try {
      Run run = Run.of(server.args("--policy", file.toString()));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(sleepers.get(0).failure().getSQLState()).isEqualTo("57014");
      assertThat(idle.errorOf("select 1").getSQLState()).isIn("57P01", "08006", "08003");
      assertThat(bystanders.get(0).stillSleeping()).isTrue();
      String out = run.out();
      assertThat(out).contains("rule runaway-reports: reports run at night\n", "rule forgotten\n");
      assertThat(out.indexOf("rule runaway-reports"))
          .isLessThan(out.indexOf(Integer.toString(sleepers.get(0).pid())))
          .isLessThan(out.indexOf("rule forgotten"));
      assertThat(out.indexOf("rule forgotten"))
          .isLessThan(out.indexOf(Integer.toString(idle.pid())));
    } finally {
      Victim.closeAll(sleepers);
      Victim.closeAll(bystanders);
      idle.close();
    }
  }

  @Test
  void runThatChoseNothingPrintsNothingSoCronMailsNothing() throws Exception {
    Path file =
        policy("[rule.none]\nterminate = true\napplication = \"" + unique("pol-none") + "\"\n");

    Run run = Run.of(server.args("--policy", file.toString()));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void badRuleAfterAGoodOneSignalsNothing() throws Exception {
    String app = unique("pol-bad");
    List<Victim> victims = Victim.sleepers(server, app, 1);
    Path file =
        policy(
            "[rule.good]\nterminate = true\napplication = \""
                + app
                + "\"\n\n[rule.bad]\nterminate = true\napplication = \""
                + app
                + "\"\nrunning-longer-than = \"-5m\"\n");
    try {
      Run run = Run.of(server.args("--policy", file.toString()));

      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err())
          .startsWith("pgkill: error: policy \"" + file + "\", line 8, rule bad: invalid");
      assertThat(run.out()).isEmpty();
      assertThat(victims.get(0).stillSleeping()).isTrue();
    } finally {
      Victim.closeAll(victims);
    }
  }

  @Test
  void worstStatusOverRulesAndEachRuleStillApplied() throws Exception {
    String many = unique("pol-many");
    String one = unique("pol-one");
    List<Victim> tooMany = Victim.sleepers(server, many, 2);
    List<Victim> single = Victim.sleepers(server, one, 1);
    Path file =
        policy(
            "[rule.too-many]\nterminate = true\nmax = 1\napplication = \""
                + many
                + "\"\n\n[rule.one]\ncancel = true\napplication = \""
                + one
                + "\"\n");
    try {
      Run run = Run.of(server.args("--policy", file.toString()));

      assertThat(run.status()).isEqualTo(5);
      assertThat(run.err())
          .contains("refusing to terminate 2 sessions: more than --max 1; nothing was signalled");
      assertThat(single.get(0).failure().getSQLState()).isEqualTo("57014");
      for (Victim victim : tooMany) {
        assertThat(victim.stillSleeping()).isTrue();
      }
    } finally {
      Victim.closeAll(tooMany);
      Victim.closeAll(single);
    }
  }

  @Test
  void dryRunRehearsesEveryRuleAndSignalsNothing() throws Exception {
    String app = unique("pol-dry");
    List<Victim> victims = Victim.sleepers(server, app, 1);
    Path file = policy("[rule.dry]\nterminate = true\napplication = \"" + app + "\"\n");
    try {
      Run run = Run.of(server.args("--policy", file.toString(), "--dry-run"));

      assertThat(run.out()).contains("rule dry\n", Integer.toString(victims.get(0).pid()));
      assertThat(run.out()).contains("would");
      assertThat(victims.get(0).stillSleeping()).isTrue();
    } finally {
      Victim.closeAll(victims);
    }
  }

  @Test
  void overlappingRunExitsAtOnceSignallingNothing() throws Exception {
    String app = unique("pol-lock");
    List<Victim> victims = Victim.sleepers(server, app, 1);
    Path file = policy("[rule.later]\nterminate = true\napplication = \"" + app + "\"\n");
    Path watchFile = dir.resolve("watch.toml");
    Files.writeString(
        watchFile, "[rule.other]\ncancel = true\napplication = \"" + unique("nobody") + "\"\n");
    Path lock = dir.resolve("shared.lock");
    try (ServiceProcess first =
        ServiceProcess.start(
            dir,
            server.args(
                "--policy",
                watchFile.toString(),
                "--watch",
                "1h",
                "--lock",
                lock.toString(),
                "-v"))) {
      first.awaitErr("pass 1:");

      Run second = Run.of(server.args("--policy", file.toString(), "--lock", lock.toString()));

      assertThat(second.status()).isEqualTo(6);
      assertThat(second.err())
          .isEqualTo(
              "pgkill: error: another pgkill run holds the lock \""
                  + lock
                  + "\"; this run did nothing\n");
      assertThat(victims.get(0).stillSleeping()).isTrue();

      first.signal("TERM");
      assertThat(first.awaitExit(Duration.ofSeconds(30))).isZero();
      Run after = Run.of(server.args("--policy", file.toString(), "--lock", lock.toString()));
      assertThat(after.status()).as(after.err()).isZero();
    } finally {
      Victim.closeAll(victims);
    }
  }

  @Test
  void lockBesideThePolicyByDefault() throws Exception {
    Path file =
        policy("[rule.none]\nterminate = true\napplication = \"" + unique("pol-none") + "\"\n");

    Run.of(server.args("--policy", file.toString()));

    assertThat(dir.resolve("policy.toml.lock")).exists();
  }

  @Test
  void cronRunStoppedWhileARuleWaitsStillShowsWhatWasSignalled() throws Exception {
    String app = unique("pol-stubborn");
    // The rule's wait lasts until pgkill is stopped.
    StubbornQuery stubborn = StubbornQuery.start(server, app);
    Path file =
        policy(
            "[rule.none]\ncancel = true\napplication = \""
                + unique("nobody")
                + "\"\n\n[rule.stubborn]\ncancel = true\nwait = \"60s\"\napplication = \""
                + app
                + "\"\n");
    try (ServiceProcess cron =
        ServiceProcess.start(dir, server.args("--policy", file.toString()))) {
      PostgresServer.await(
          "the cancel to reach the stubborn query",
          Duration.ofSeconds(20),
          () -> stubborn.cancelsCaught() > 0);

      cron.signal("TERM");

      assertThat(cron.awaitExit(Duration.ofSeconds(30))).isEqualTo(143);
      assertThat(cron.out())
          .startsWith("rule stubborn\n")
          .contains(Integer.toString(stubborn.pid()), "then pgkill was stopped");
    } finally {
      stubborn.close();
    }
  }

  @Test
  void jsonNamesEachRuleOnALineOfItsOwnBeforeItsTargets() throws Exception {
    String app = unique("pol-json");
    List<Victim> victims = Victim.sleepers(server, app, 1);
    Path file =
        policy(
            "[rule.reports]\ncancel = true\napplication = \""
                + app
                + "\"\nreason = \"too long\"\n");
    try {
      Run run = Run.of(server.args("--policy", file.toString(), "-o", "json"));

      assertThat(run.status()).as(run.err()).isZero();
      List<java.util.Map<String, Object>> lines =
          run.out().lines().map(dev.pgkill.testing.Fixtures::json).toList();
      assertThat(lines.get(0))
          .containsEntry("type", "rule")
          .containsEntry("rule", "reports")
          .containsEntry("reason", "too long");
      assertThat(lines.get(1))
          .containsEntry("type", "target")
          .containsEntry("pid", victims.get(0).pid());
    } finally {
      Victim.closeAll(victims);
    }
  }
}
