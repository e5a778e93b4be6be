package dev.pgkill.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.safety.Cleared;
import dev.pgkill.select.BackendId;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Session;
import dev.pgkill.select.SessionFinder;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Waited.Ending;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.helpers.NOPLogger;

/**
 * Waiting for signals to work, against real sessions; on 14 and later a terminate is waited for by
 * the server, before 14 by polling, so running this on both covers both paths.
 */
@ExtendWith(PostgresExtension.class)
class WaiterIT {
  private static final Duration SHORT = Duration.ofSeconds(2);

  private final PostgresServer server;

  WaiterIT(PostgresServer server) {
    this.server = server;
  }

  /** Signals the victim as pgkill would, then waits; returns the one outcome. */
  private Outcome signalAndWait(
      Connection connection, Victim victim, Action action, Duration timeout) throws Exception {
    Session session =
        new SessionFinder(connection, NOPLogger.NOP_LOGGER)
            .find(Selection.of(List.of(Target.of(victim.pid()))))
            .sessions()
            .get(0);
    List<Outcome> signalled =
        new Signaller(connection, NOPLogger.NOP_LOGGER)
            .signal(List.of(new Cleared(Target.of(victim.pid()), session)), action);
    List<Outcome> waited =
        new Waiter(connection, ServerVersion.of(connection), NOPLogger.NOP_LOGGER)
            .await(signalled, action, timeout);
    assertThat(waited).hasSize(1);
    return waited.get(0);
  }

  @Test
  void cancelledQueryIsSeenToEndAndTheSessionStays() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER);
        Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Outcome outcome = signalAndWait(connection, victim, Action.CANCEL, SHORT);

      assertThat(outcome.waited().orElseThrow().ending()).isEqualTo(Ending.CANCELLED);
      assertThat(outcome.waited().get().waited()).isLessThan(SHORT);
      assertThat(outcome.done()).isTrue();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void idleInTransactionIgnoresCancelAndIsStillInItsTransactionAfterTheTimeout() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER);
        Victim victim = Victim.connect(server, PostgresServer.SUPERUSER)) {
      victim.run("begin").run("select 1");
      Duration timeout = Duration.ofMillis(700);

      Outcome outcome = signalAndWait(connection, victim, Action.CANCEL, timeout);

      assertThat(outcome.signalled()).isTrue();
      assertThat(outcome.waited()).contains(new Waited(Ending.STILL_IN_TRANSACTION, timeout));
      assertThat(outcome.done()).isFalse();
      assertThat(
              server.queryString(
                  PostgresServer.SUPERUSER,
                  "select state from pg_stat_activity where pid = " + victim.pid()))
          .isEqualTo("idle in transaction");
    }
  }

  @Test
  void terminatedIsReportedOnlyOnceTheBackendHasLeftPgStatActivity() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER);
        Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim idle = Victim.connect(server, PostgresServer.SUPERUSER)) {
      for (Victim target : List.of(victim, idle)) {
        Outcome outcome = signalAndWait(connection, target, Action.TERMINATE, SHORT);

        assertThat(outcome.waited().orElseThrow().ending()).isEqualTo(Ending.TERMINATED);
        // No await here: the report said terminated, so it must already be gone.
        assertThat(server.hasBackend(target.pid())).isFalse();
      }
    }
  }

  @Test
  void waitLongerThanPgkillsStatementTimeoutRaisesIt() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER);
        Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("set statement_timeout = '15s'");
      }

      signalAndWait(connection, victim, Action.TERMINATE, Duration.ofMinutes(5));

      try (Statement statement = connection.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "select setting::bigint from pg_settings where name = 'statement_timeout'")) {
        row.next();
        assertThat(row.getLong(1)).isGreaterThan(Duration.ofMinutes(5).toMillis());
      }
    }
  }

  @Test
  void targetsNotSignalledAreNotWaitedFor() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      Outcome gone =
          Outcome.of(Target.of(server.unusedPid()), null, Action.TERMINATE, Outcome.Result.GONE);

      List<Outcome> waited =
          new Waiter(connection, ServerVersion.of(connection), NOPLogger.NOP_LOGGER)
              .await(List.of(gone), Action.TERMINATE, SHORT);

      assertThat(waited).containsExactly(gone);
    }
  }

  private static Session inspected(
      String state, OffsetDateTime queryStart, OffsetDateTime xactStart) {
    return Session.builder(42)
        .backendStart(queryStart)
        .user("alice")
        .database("shop")
        .application("psql")
        .client("local")
        .backendType("client backend")
        .state(state)
        .times(queryStart, xactStart, queryStart)
        .query("select 1")
        .build();
  }

  @Test
  void cancelIsDoneWhenTheQueryChangedOrTheTransactionAborted() {
    OffsetDateTime start = OffsetDateTime.parse("2026-01-01T00:00:00Z");
    Session active = inspected("active", start, start);
    Activity.Row sameQuery =
        new Activity.Row(new BackendId(42, start), "alice", "shop", "active", start, start);
    Activity.Row nextQuery =
        new Activity.Row(
            new BackendId(42, start),
            "alice",
            "shop",
            "active",
            start.plusSeconds(1),
            start.plusSeconds(1));
    Activity.Row aborted =
        new Activity.Row(
            new BackendId(42, start),
            "alice",
            "shop",
            "idle in transaction (aborted)",
            start,
            null);
    Activity.Row hidden =
        new Activity.Row(new BackendId(42, null), "alice", "shop", null, null, null);

    assertThat(Polling.ending(Action.CANCEL, active, sameQuery)).isEqualTo(Ending.STILL_RUNNING);
    assertThat(Polling.ending(Action.CANCEL, active, nextQuery)).isEqualTo(Ending.CANCELLED);
    assertThat(Polling.ending(Action.CANCEL, active, aborted)).isEqualTo(Ending.CANCELLED);
    assertThat(Polling.ending(Action.CANCEL, active, null)).isEqualTo(Ending.ENDED);
    assertThat(Polling.ending(Action.CANCEL, active, hidden)).isEqualTo(Ending.UNKNOWN);
    assertThat(Polling.ending(Action.TERMINATE, active, sameQuery)).isEqualTo(Ending.STILL_RUNNING);
    assertThat(Polling.ending(Action.TERMINATE, active, null)).isEqualTo(Ending.TERMINATED);
  }

  @Test
  void cancelOfASessionRunningNoQueryHadNothingToDoAndAnIdleTransactionCanOnlyEndByItself() {
    OffsetDateTime start = OffsetDateTime.parse("2026-01-01T00:00:00Z");
    Session idle = inspected("idle", start, null);
    Session inTransaction = inspected("idle in transaction", start, start);
    Activity.Row stillIdle =
        new Activity.Row(new BackendId(42, start), "alice", "shop", "idle", start, null);
    Activity.Row sameTransaction =
        new Activity.Row(
            new BackendId(42, start), "alice", "shop", "idle in transaction", start, start);
    Activity.Row committed =
        new Activity.Row(
            new BackendId(42, start), "alice", "shop", "idle", start.plusSeconds(1), null);

    assertThat(Polling.ending(Action.CANCEL, idle, stillIdle)).isEqualTo(Ending.NOTHING_TO_CANCEL);
    assertThat(Polling.ending(Action.CANCEL, inTransaction, sameTransaction))
        .isEqualTo(Ending.STILL_IN_TRANSACTION);
    assertThat(Polling.ending(Action.CANCEL, inTransaction, committed))
        .isEqualTo(Ending.ENDED_BY_ITSELF);
    assertThat(Polling.ending(Action.CANCEL, inTransaction, null)).isEqualTo(Ending.ENDED);
  }
}
