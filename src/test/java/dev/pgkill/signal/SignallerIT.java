package dev.pgkill.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Outcome.Result;
import dev.pgkill.signal.Safety.Screened;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.helpers.NOPLogger;

/**
 * The signalling statement itself, fed sessions as they were inspected, against what the server
 * has by the time the signal goes out.
 */
@ExtendWith(PostgresExtension.class)
class SignallerIT {
  private final PostgresServer server;

  SignallerIT(PostgresServer server) {
    this.server = server;
  }

  private static Session inspected(int pid, OffsetDateTime backendStart) {
    return new Session(
        pid, backendStart, "postgres", "postgres", "pgkill-test", "127.0.0.1", "client backend",
        "active", null, null, null, "select pg_sleep(60)", null, false);
  }

  private Outcome signal(Session session, Action action) throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      Screened cleared = new Screened(Target.of(session.pid()), session, null);
      List<Outcome> outcomes =
          new Signaller(connection, NOPLogger.NOP_LOGGER).signal(List.of(cleared), action);
      assertThat(outcomes).hasSize(1);
      return outcomes.get(0);
    }
  }

  @Test
  void backendThatExitedAfterInspectionIsGone() throws Exception {
    Session session;
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER)) {
      session = inspected(victim.pid(), victim.backendStart());
    }
    PostgresServer.await("the victim to exit", java.time.Duration.ofSeconds(10), () -> !server.hasBackend(session.pid()));

    assertThat(signal(session, Action.TERMINATE).result()).isEqualTo(Result.GONE);
  }

  @Test
  void pidNowHeldByAnotherBackendIsNotSignalled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      // As if pgkill had inspected an earlier backend with the same PID.
      Session earlier = inspected(victim.pid(), victim.backendStart().minusNanos(1000));

      Outcome outcome = signal(earlier, Action.TERMINATE);

      assertThat(outcome.result()).isEqualTo(Result.REPLACED);
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void sameBackendIsSignalledAndTheServersTrueIsReported() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Outcome outcome = signal(inspected(victim.pid(), victim.backendStart()), Action.CANCEL);

      assertThat(outcome.result()).isEqualTo(Result.SIGNALLED);
      assertThat(outcome.message()).isEmpty();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
    }
  }

  @Test
  void serversWarningIsReportedVerbatimWithItsSqlState() throws Exception {
    // Safety never clears an auxiliary process; fed one anyway, the server answers with a WARNING.
    int checkpointer = server.pidOf("checkpointer");
    OffsetDateTime started =
        OffsetDateTime.parse(
            server.queryString(
                PostgresServer.SUPERUSER,
                "select to_char(backend_start at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                    + " from pg_stat_activity where pid = " + checkpointer));

    Outcome outcome = signal(inspected(checkpointer, started), Action.TERMINATE);

    assertThat(outcome.result()).isEqualTo(Result.WARNING);
    String noun = server.major() >= 15 ? "backend" : "server";
    assertThat(outcome.message())
        .contains(
            new ServerMessage(
                "WARNING", "01000", "PID " + checkpointer + " is not a PostgreSQL " + noun + " process", null));
    assertThat(server.hasBackend(checkpointer)).isTrue();
  }
}
