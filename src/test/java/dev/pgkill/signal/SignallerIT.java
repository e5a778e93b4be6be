package dev.pgkill.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.safety.Cleared;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Outcome.Result;
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
 * The signalling statement itself, fed sessions as they were inspected, against what the server has
 * by the time the signal goes out.
 */
@ExtendWith(PostgresExtension.class)
class SignallerIT {
  private final PostgresServer server;

  SignallerIT(PostgresServer server) {
    this.server = server;
  }

  private static Session inspected(int pid, OffsetDateTime backendStart) {
    return Session.builder(pid)
        .backendStart(backendStart)
        .user("postgres")
        .database("postgres")
        .application("pgkill-test")
        .client("127.0.0.1")
        .backendType("client backend")
        .state("active")
        .query("select pg_sleep(60)")
        .build();
  }

  private Outcome signal(Session session, Action action) throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      Cleared cleared = new Cleared(Target.of(session.pid()), session);
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
    PostgresServer.await(
        "the victim to exit",
        java.time.Duration.ofSeconds(10),
        () -> !server.hasBackend(session.pid()));

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

  /** Signals as a superuser whose statements the server logs, and returns the outcomes. */
  private List<Outcome> signalAsLoggedSuperuser(String role, List<Session> sessions, Action action)
      throws Exception {
    try (Connection connection = server.connect(role)) {
      List<Cleared> cleared =
          sessions.stream().map(s -> new Cleared(Target.of(s.pid()), s)).toList();
      return new Signaller(connection, NOPLogger.NOP_LOGGER).signal(cleared, action);
    }
  }

  private List<String> statementsLoggedFor(String role) throws Exception {
    PostgresServer.await(
        "the server log",
        java.time.Duration.ofSeconds(5),
        () -> {
          try {
            return java.nio.file.Files.readString(server.log())
                .contains("@" + role + "@LOG:  execute");
          } catch (java.io.IOException e) {
            return false;
          }
        });
    return java.nio.file.Files.readAllLines(server.log()).stream()
        .filter(l -> l.contains("@" + role + "@LOG:  execute"))
        .toList();
  }

  @Test
  void superuserSignalsManyClientBackendsInOneStatementEachWithItsOwnResult() throws Exception {
    String role = server.createRole("bulk", "superuser");
    server.execute("alter role " + role + " set log_statement = 'all'");
    Session exited;
    try (Victim gone = Victim.connect(server, PostgresServer.SUPERUSER)) {
      exited = inspected(gone.pid(), gone.backendStart());
    }
    try (Victim first = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim reused = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim last = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      PostgresServer.await(
          "the exited victim to leave",
          java.time.Duration.ofSeconds(10),
          () -> !server.hasBackend(exited.pid()));
      List<Outcome> outcomes =
          signalAsLoggedSuperuser(
              role,
              List.of(
                  inspected(first.pid(), first.backendStart()),
                  exited,
                  inspected(reused.pid(), reused.backendStart().minusNanos(1000)),
                  inspected(last.pid(), last.backendStart())),
              Action.CANCEL);

      assertThat(outcomes)
          .extracting(Outcome::result)
          .containsExactly(Result.SIGNALLED, Result.GONE, Result.REPLACED, Result.SIGNALLED);
      assertThat(first.failure().getSQLState()).isEqualTo("57014");
      assertThat(last.failure().getSQLState()).isEqualTo("57014");
      assertThat(reused.stillSleeping()).isTrue();
      assertThat(statementsLoggedFor(role))
          .as("one statement for all four targets")
          .singleElement()
          .asString()
          .contains("select t.n, a.backend_start = t.backend_start");
    }
  }

  @Test
  void targetThatReturnsFalseInBulkIsRetriedAloneForItsOwnWarning() throws Exception {
    String role = server.createRole("bulk", "superuser");
    int checkpointer = server.pidOf("checkpointer");
    OffsetDateTime started =
        OffsetDateTime.parse(
            server.queryString(
                PostgresServer.SUPERUSER,
                "select to_char(backend_start at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                    + " from pg_stat_activity where pid = "
                    + checkpointer));
    try (Victim first = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim last = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      // Inspected as if it were a client backend, so the bulk statement is used and the server
      // answers false for it.
      List<Outcome> outcomes =
          signalAsLoggedSuperuser(
              role,
              List.of(
                  inspected(first.pid(), first.backendStart()),
                  inspected(checkpointer, started),
                  inspected(last.pid(), last.backendStart())),
              Action.TERMINATE);

      assertThat(outcomes)
          .extracting(Outcome::result)
          .containsExactly(Result.SIGNALLED, Result.WARNING, Result.SIGNALLED);
      String noun = server.major() >= 15 ? "backend" : "server";
      assertThat(outcomes.get(1).message())
          .map(ServerMessage::text)
          .contains("PID " + checkpointer + " is not a PostgreSQL " + noun + " process");
      assertThat(server.hasBackend(checkpointer)).isTrue();
    }
  }

  /** The session as pg_stat_activity shows it now, as pgkill's selection would. */
  private Session inspect(Victim victim) throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      return new dev.pgkill.select.SessionFinder(connection, NOPLogger.NOP_LOGGER)
          .find(dev.pgkill.select.Selection.of(List.of(Target.of(victim.pid()))))
          .sessions()
          .get(0);
    }
  }

  private Outcome terminateIfStillBusy(Session session) throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      return new Signaller(connection, NOPLogger.NOP_LOGGER)
          .terminateIfStillBusy(List.of(new Cleared(Target.of(session.pid()), session)))
          .get(0);
    }
  }

  @Test
  void escalationLeavesAloneASessionThatFinishedItsQuery() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Session busy = inspect(victim);
      server.execute("select pg_cancel_backend(" + victim.pid() + ")");
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");

      assertThat(terminateIfStillBusy(busy).result()).isEqualTo(Result.FINISHED_IN_GRACE);
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void escalationTerminatesASessionStillInTheSameTransaction() throws Exception {
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER)) {
      victim.run("begin").run("select 1");
      Session idleInTransaction = inspect(victim);
      assertThat(idleInTransaction.state()).isEqualTo("idle in transaction");

      assertThat(terminateIfStillBusy(idleInTransaction).result()).isEqualTo(Result.SIGNALLED);
      victim.awaitGone();
    }
  }

  @Test
  void escalationLeavesAloneASessionThatStartedAnotherTransaction() throws Exception {
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER)) {
      victim.run("begin").run("select 1");
      Session first = inspect(victim);
      victim.run("commit").run("begin").run("select 2");

      assertThat(terminateIfStillBusy(first).result()).isEqualTo(Result.FINISHED_IN_GRACE);
      assertThat(victim.usable()).isTrue();
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
                    + " from pg_stat_activity where pid = "
                    + checkpointer));

    Outcome outcome = signal(inspected(checkpointer, started), Action.TERMINATE);

    assertThat(outcome.result()).isEqualTo(Result.WARNING);
    String noun = server.major() >= 15 ? "backend" : "server";
    assertThat(outcome.message())
        .contains(
            new ServerMessage(
                "WARNING",
                "01000",
                "PID " + checkpointer + " is not a PostgreSQL " + noun + " process",
                null));
    assertThat(server.hasBackend(checkpointer)).isTrue();
  }
}
