package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PgkillSession;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --wait: whether each target really ended, and escalation from cancel to terminate. */
@ExtendWith(PostgresExtension.class)
class WaitAndEscalateIT {
  private final PostgresServer server;

  WaitAndEscalateIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void waitReportsTheQueryCancelled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--cancel", "--wait=2s", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(victim.pid())).contains(" cancelled ");
      assertThat(run.out()).endsWith("cancel: 1 of 1 target signalled; 1 ended\n");
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void waitReportsTheSessionTerminatedAndItIsGone() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--terminate", "--wait", "2s", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(victim.pid())).contains(" terminated ");
      assertThat(server.hasBackend(victim.pid())).isFalse();
    }
  }

  @Test
  void waitWithoutAValueLeavesTheNextPidAPid() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--terminate", "--wait", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(victim.pid())).contains(" terminated ");
    }
  }

  @Test
  void cancelIgnoredByAnIdleTransactionIsNotDoneAndExitsOne() throws Exception {
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER)) {
      victim.run("begin").run("select 1");
      Run run = Run.of(server.args("--cancel", "--wait=500ms", Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.lineOf(victim.pid())).contains("still idle in transaction after 500ms");
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void cancelOfASessionRunningNoQuerySaysThereWasNothingToCancel() throws Exception {
    try (Victim idle = Victim.connect(server, PostgresServer.SUPERUSER)) {
      idle.run("select 1");
      Run run = Run.of(server.args("--cancel", "--wait=2s", Integer.toString(idle.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.lineOf(idle.pid()))
          .contains("nothing to cancel: no query was running")
          .doesNotContain("cancelled");
      assertThat(run.out())
          .endsWith("cancel: 1 of 1 target signalled; 0 ended, 1 had nothing to cancel\n");
      assertThat(idle.usable()).isTrue();
    }
  }

  @Test
  void transactionThatCommitsDuringTheGraceEndedByItselfAndIsNeverTerminated() throws Exception {
    String role = server.createRole("grace", "");
    try (Victim idle = Victim.connect(server, role)) {
      idle.run("begin").run("select 1");
      CompletableFuture<Run> running =
          CompletableFuture.supplyAsync(
              () ->
                  Run.of(
                      server.argsAs(
                          role,
                          "--cancel",
                          "--escalate=60s",
                          "--wait=2s",
                          Integer.toString(idle.pid()))));
      PgkillSession.awaitWaiting(server, role);
      // The application commits on its own while pgkill gives the cancel its grace.
      idle.run("commit");
      Run run = running.get(30, TimeUnit.SECONDS);

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(idle.pid()))
          .contains("ended by itself: the session ended its transaction")
          .doesNotContain("cancelled", "terminate");
      assertThat(run.out())
          .endsWith("cancel: 1 of 1 target signalled; 0 needed a terminate; 1 ended by itself\n");
      assertThat(idle.usable()).isTrue();
    }
  }

  @Test
  void escalationTerminatesWhatTheCancelDidNotEndAndSaysBothSteps() throws Exception {
    try (Victim idle = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim sleeper = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      idle.run("begin").run("select 1");
      Run run =
          Run.of(
              server.args(
                  "--cancel",
                  "--escalate=500ms",
                  "--wait=2s",
                  "-o",
                  "json",
                  Integer.toString(idle.pid()),
                  Integer.toString(sleeper.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines.get(0))
          .contains(
              "\"pid\":" + idle.pid(),
              "\"action\":\"cancel\"",
              "\"wait\":\"still_in_transaction\"",
              "\"escalation\":{\"action\":\"terminate\",\"signalled\":true",
              "\"wait\":\"terminated\"");
      assertThat(lines.get(1)).contains("\"wait\":\"cancelled\"", "\"escalation\":null");
      assertThat(lines.get(2))
          .contains("\"type\":\"summary\"", "\"ended\":2", "\"needed_terminate\":1");
      assertThat(server.hasBackend(idle.pid())).isFalse();
      assertThat(sleeper.usable()).isTrue();

      try (Victim again = Victim.connect(server, PostgresServer.SUPERUSER)) {
        again.run("begin").run("select 1");
        Run text = Run.of(server.args("-c", "--escalate=500ms", Integer.toString(again.pid())));
        assertThat(text.lineOf(again.pid()))
            .contains("still idle in transaction after 500ms → terminated");
        assertThat(text.out())
            .endsWith("cancel: 1 of 1 target signalled; 1 needed a terminate; 1 ended\n");
      }
    }
  }
}
