package dev.pgkill.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.safety.Cleared;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Session;
import dev.pgkill.select.SessionFinder;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Waited.Ending;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.helpers.NOPLogger;

/** Cancel first, terminate only what the cancel did not end. */
@ExtendWith(PostgresExtension.class)
class EscalatorIT {
  private static final Duration GRACE = Duration.ofMillis(700);
  private static final Duration WAIT = Duration.ofSeconds(2);

  private final PostgresServer server;

  EscalatorIT(PostgresServer server) {
    this.server = server;
  }

  private List<Outcome> escalate(Connection connection, Victim... victims) throws Exception {
    List<Target> targets = java.util.Arrays.stream(victims).map(v -> Target.of(v.pid())).toList();
    List<Session> sessions =
        new SessionFinder(connection, NOPLogger.NOP_LOGGER).find(Selection.of(targets)).sessions();
    List<Cleared> cleared =
        targets.stream()
            .map(
                t ->
                    new Cleared(
                        t,
                        sessions.stream()
                            .filter(s -> s.pid() == t.pid())
                            .findFirst()
                            .orElseThrow()))
            .toList();
    return new Escalator(
            new Signaller(connection, NOPLogger.NOP_LOGGER),
            new Waiter(connection, ServerVersion.of(connection), NOPLogger.NOP_LOGGER),
            NOPLogger.NOP_LOGGER)
        .cancelThenTerminate(cleared, GRACE, WAIT);
  }

  @Test
  void idleInTransactionIgnoresTheCancelAndIsTerminated() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER);
        Victim victim = Victim.connect(server, PostgresServer.SUPERUSER)) {
      victim.run("begin").run("select 1");

      Outcome outcome = escalate(connection, victim).get(0);

      assertThat(outcome.action()).isEqualTo(Action.CANCEL);
      assertThat(outcome.waited()).contains(new Waited(Ending.STILL_IN_TRANSACTION, GRACE));
      Outcome terminate = outcome.escalation().orElseThrow();
      assertThat(terminate.action()).isEqualTo(Action.TERMINATE);
      assertThat(terminate.waited().orElseThrow().ending()).isEqualTo(Ending.TERMINATED);
      assertThat(outcome.done()).isTrue();
      assertThat(server.hasBackend(victim.pid())).isFalse();
    }
  }

  @Test
  void queryTheCancelEndedIsNotTerminated() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER);
        Victim sleeper = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim idle = Victim.connect(server, PostgresServer.SUPERUSER)) {
      idle.run("begin").run("select 1");

      List<Outcome> outcomes = escalate(connection, sleeper, idle);

      assertThat(outcomes.get(0).waited().orElseThrow().ending()).isEqualTo(Ending.CANCELLED);
      assertThat(outcomes.get(0).escalation()).isEmpty();
      assertThat(sleeper.failure().getSQLState()).isEqualTo("57014");
      assertThat(sleeper.usable()).isTrue();
      assertThat(outcomes.get(1).escalation()).isPresent();
    }
  }
}
