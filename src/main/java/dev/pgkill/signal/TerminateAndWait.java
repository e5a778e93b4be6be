package dev.pgkill.signal;

import dev.pgkill.connect.SqlStates;
import dev.pgkill.select.BackendId;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Waited.Ending;
import dev.pgkill.text.SafeText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * PostgreSQL 14 and later: the server waits for each terminated backend to exit, with {@code
 * pg_terminate_backend(pid, timeout)}, all of them sharing one deadline.
 */
final class TerminateAndWait {
  /** The same backend as inspected; user and database stand in when backend_start is hidden. */
  private static final String SAME_BACKEND =
      "a.pid = ? and a.backend_start is not distinct from ?"
          + " and a.usename is not distinct from ? and a.datname is not distinct from ?";

  private static final String TERMINATE_AND_WAIT =
      "select pg_terminate_backend(a.pid, ?) as exited from pg_stat_activity a where "
          + SAME_BACKEND
          + " and a.pid <> pg_backend_pid()";

  private final Connection connection;
  private final Activity activity;
  private final Logger log;

  TerminateAndWait(Connection connection, Activity activity, Logger log) {
    this.connection = connection;
    this.activity = activity;
    this.log = log;
  }

  /** Puts in {@code found}, by index, what waiting found of each signalled outcome. */
  void await(
      List<Outcome> outcomes,
      List<Integer> signalled,
      long start,
      Duration timeout,
      Map<Integer, Waited> found)
      throws SQLException {
    long deadline = start + timeout.toNanos();
    try (PreparedStatement statement = connection.prepareStatement(TERMINATE_AND_WAIT)) {
      for (int i : signalled) {
        Session session = outcomes.get(i).session().orElseThrow();
        found.put(i, awaitOne(statement, session, start, deadline, timeout));
      }
    }
  }

  /** A failure other than a lost connection costs this target its answer, not the others'. */
  private Waited awaitOne(
      PreparedStatement statement, Session session, long start, long deadline, Duration timeout)
      throws SQLException {
    // Never 0: with 0 the server does not wait at all and returns true once the signal is sent.
    long remaining = Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
    statement.setLong(1, remaining);
    bindIdentity(statement, 2, session);
    log.debug("{}\n  with timeout={} pid={}", TERMINATE_AND_WAIT, remaining, session.pid());
    boolean exited;
    try (ResultSet row = statement.executeQuery()) {
      // No row: the backend left pg_stat_activity before the statement looked.
      exited = !row.next() || row.getBoolean("exited");
    } catch (SQLException e) {
      if (SqlStates.connectionLost(e)) {
        throw e;
      }
      log.info(
          "waiting for backend {} failed: {}",
          session.pid(),
          SafeText.oneLine(String.valueOf(e.getMessage())));
      return Waited.since(Ending.UNKNOWN, start);
    }
    statement.clearWarnings();
    // false comes with the server's WARNING that it did not exit in time; look rather than
    // read the message, whose words depend on the server's version and language.
    if (!exited && !activity.stillThere(session)) {
      exited = true;
    }
    return exited
        ? Waited.since(Ending.TERMINATED, start)
        : new Waited(Ending.STILL_RUNNING, timeout);
  }

  private static void bindIdentity(PreparedStatement statement, int first, Session session)
      throws SQLException {
    BackendId id = session.id();
    statement.setInt(first, id.pid());
    statement.setObject(first + 1, id.backendStart());
    statement.setString(first + 2, session.user());
    statement.setString(first + 3, session.database());
  }
}
