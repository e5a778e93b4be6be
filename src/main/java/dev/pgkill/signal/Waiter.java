package dev.pgkill.signal;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.connect.SqlStates;
import dev.pgkill.select.Durations;
import dev.pgkill.signal.Waited.Ending;
import dev.pgkill.text.Counted;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Finds out whether the signals really worked: {@code true} from the server only means the signal
 * was sent. Waits, up to a timeout shared by all targets, until each signalled target's query
 * (cancel) or backend (terminate) is gone.
 *
 * <p>A terminate on PostgreSQL 14 and later lets the server wait ({@link TerminateAndWait});
 * otherwise pgkill polls {@code pg_stat_activity} by the backend's identity ({@link Polling}).
 */
public final class Waiter {
  /**
   * pgkill's own statement_timeout (15s) would cut a long server-side wait short, reporting the
   * wait as failed: raise it above the wait, with the usual margin for ordinary statements.
   */
  private static final long STATEMENT_TIMEOUT_MARGIN_MS = 15_000;

  private final Connection connection;
  private final ServerVersion version;
  private final Logger log;
  private final TerminateAndWait terminateAndWait;
  private final Polling polling;

  public Waiter(Connection connection, ServerVersion version, Logger log) {
    this.connection = connection;
    this.version = version;
    this.log = log;
    Activity activity = new Activity(connection, log);
    this.terminateAndWait = new TerminateAndWait(connection, activity, log);
    this.polling = new Polling(activity);
  }

  /**
   * The outcomes in the same order, each signalled one with what waiting found; the others as they
   * were. A failure while waiting never loses what was signalled: what the wait had already seen is
   * kept, and the rest is reported as lost with the connection, or as unknown.
   */
  public List<Outcome> await(List<Outcome> outcomes, Action action, Duration timeout)
      throws SQLException {
    long start = System.nanoTime();
    Map<Integer, Waited> found = new LinkedHashMap<>();
    try {
      awaitOrFail(outcomes, action, timeout, start, found);
    } catch (SQLException e) {
      // The signals went out before the wait failed: report them, and the wait as cut short.
      boolean lost = SqlStates.connectionLost(e);
      log.info(lost ? "connection lost while waiting" : "waiting failed", e);
      Waited cut = Waited.since(lost ? Ending.CONNECTION_LOST : Ending.UNKNOWN, start);
      for (int i = 0; i < outcomes.size(); i++) {
        if (outcomes.get(i).signalled()) {
          found.putIfAbsent(i, cut);
        }
      }
    }
    List<Outcome> waited = new ArrayList<>(outcomes);
    found.forEach((i, w) -> waited.set(i, outcomes.get(i).withWaited(w)));
    return waited;
  }

  private void awaitOrFail(
      List<Outcome> outcomes,
      Action action,
      Duration timeout,
      long start,
      Map<Integer, Waited> found)
      throws SQLException {
    List<Integer> signalled = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i).signalled()) {
        signalled.add(i);
      }
    }
    if (signalled.isEmpty()) {
      return;
    }
    raiseStatementTimeout(timeout);
    if (action == Action.TERMINATE && version.terminateCanWait()) {
      log.info(
          "waiting up to {} for {} to exit: pg_terminate_backend(pid, timeout),"
              + " PostgreSQL {} (14 or later)",
          Durations.format(timeout),
          Counted.of(signalled.size(), "backend"),
          version);
      terminateAndWait.await(outcomes, signalled, start, timeout, found);
    } else {
      log.info(
          "waiting up to {} for {}: polling pg_stat_activity, PostgreSQL {}{}",
          Durations.format(timeout),
          action == Action.CANCEL
              ? Counted.of(signalled.size(), "query", "queries") + " to end"
              : Counted.of(signalled.size(), "backend") + " to exit",
          version,
          action == Action.CANCEL ? "" : " (pg_terminate_backend cannot wait before 14)");
      polling.await(outcomes, signalled, action, start, timeout, found);
    }
  }

  private void raiseStatementTimeout(Duration timeout) throws SQLException {
    long millis = Math.min(Integer.MAX_VALUE, timeout.toMillis() + STATEMENT_TIMEOUT_MARGIN_MS);
    try (PreparedStatement set =
        connection.prepareStatement("select set_config('statement_timeout', ?, false)")) {
      set.setString(1, Long.toString(millis));
      set.execute();
    }
    // The client must outwait the server too: the session's socket timeout is set for short
    // statements, and a wait longer than it would look like a dead server.
    int network = (int) Math.min(Integer.MAX_VALUE, millis + STATEMENT_TIMEOUT_MARGIN_MS);
    connection.setNetworkTimeout(Runnable::run, network);
    log.debug(
        "statement_timeout raised to {}ms, network timeout to {}ms, for the wait", millis, network);
  }
}
