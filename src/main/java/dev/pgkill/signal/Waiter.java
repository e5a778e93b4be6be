package dev.pgkill.signal;

import dev.pgkill.text.SafeText;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.select.Durations;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Waited.Ending;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Finds out whether the signals really worked: {@code true} from the server only means the signal
 * was sent. Waits, up to a timeout shared by all targets, until each signalled target's query
 * (cancel) or backend (terminate) is gone.
 *
 * <p>A terminate on PostgreSQL 14 and later lets the server wait, with
 * {@code pg_terminate_backend(pid, timeout)}; otherwise pgkill polls {@code pg_stat_activity} by
 * the backend's identity, one statement for all targets, in autocommit so that each poll sees the
 * view as it is now rather than a transaction's snapshot.
 */
public final class Waiter {
  private static final Duration FIRST_INTERVAL = Duration.ofMillis(50);
  /** Polls slow down to this, so a long wait costs the server one tiny query a second or so. */
  private static final Duration LONGEST_INTERVAL = Duration.ofMillis(500);
  /**
   * pgkill's own statement_timeout (15s) would cut a long server-side wait short, reporting the
   * wait as failed: raise it above the wait, with the usual margin for ordinary statements.
   */
  private static final long STATEMENT_TIMEOUT_MARGIN_MS = 15_000;

  /** The same backend as inspected; user and database stand in when backend_start is hidden. */
  private static final String SAME_BACKEND =
      "a.pid = ? and a.backend_start is not distinct from ?"
          + " and a.usename is not distinct from ? and a.datname is not distinct from ?";

  private static final String TERMINATE_AND_WAIT =
      "select pg_terminate_backend(a.pid, ?) as exited from pg_stat_activity a where "
          + SAME_BACKEND + " and a.pid <> pg_backend_pid()";

  private static final String STILL_THERE =
      "select a.pid, a.backend_start, a.usename, a.datname, a.state, a.query_start, a.xact_start"
          + " from pg_stat_activity a where a.pid = any (?)";

  private static final String IDLE_IN_TRANSACTION = "idle in transaction";

  private final Connection connection;
  private final ServerVersion version;
  private final Logger log;

  public Waiter(Connection connection, ServerVersion version, Logger log) {
    this.connection = connection;
    this.version = version;
    this.log = log;
  }

  /**
   * The outcomes in the same order, each signalled one with what waiting found; the others as
   * they were. A failure while waiting never loses what was signalled: what the wait had already
   * seen is kept, and the rest is reported as lost with the connection, or as unknown.
   */
  public List<Outcome> await(List<Outcome> outcomes, Action action, Duration timeout)
      throws SQLException {
    long start = System.nanoTime();
    Map<Integer, Waited> found = new LinkedHashMap<>();
    try {
      awaitOrFail(outcomes, action, timeout, start, found);
    } catch (SQLException e) {
      // The signals went out before the wait failed: report them, and the wait as cut short.
      boolean lost = isConnectionLoss(e);
      log.info(lost ? "connection lost while waiting" : "waiting failed", e);
      Waited cut = new Waited(lost ? Ending.CONNECTION_LOST : Ending.UNKNOWN, elapsed(start));
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
          signalled.size() == 1 ? "1 backend" : signalled.size() + " backends", version);
      terminateAndWait(outcomes, signalled, start, timeout, found);
    } else {
      log.info(
          "waiting up to {} for {}: polling pg_stat_activity, PostgreSQL {}{}",
          Durations.format(timeout),
          action == Action.CANCEL
              ? (signalled.size() == 1 ? "1 query" : signalled.size() + " queries") + " to end"
              : (signalled.size() == 1 ? "1 backend" : signalled.size() + " backends") + " to exit",
          version, action == Action.CANCEL ? "" : " (pg_terminate_backend cannot wait before 14)");
      poll(outcomes, signalled, action, start, timeout, found);
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
    log.debug("statement_timeout raised to {}ms, network timeout to {}ms, for the wait", millis, network);
  }

  /** 14 and later: the server waits for each backend to exit, all sharing one deadline. */
  private void terminateAndWait(
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
          if (isConnectionLoss(e)) {
            throw e;
          }
          log.info(
              "waiting for backend {} failed: {}",
              session.pid(),
              SafeText.oneLine(String.valueOf(e.getMessage())));
          found.put(i, new Waited(Ending.UNKNOWN, elapsed(start)));
          continue;
        }
        statement.clearWarnings();
        // false comes with the server's WARNING that it did not exit in time; look rather than
        // read the message, whose words depend on the server's version and language.
        if (!exited && !stillThere(session)) {
          exited = true;
        }
        found.put(
            i,
            exited
                ? new Waited(Ending.TERMINATED, elapsed(start))
                : new Waited(Ending.STILL_RUNNING, timeout));
      }
    }
  }

  private boolean stillThere(Session session) throws SQLException {
    return rows(List.of(session.pid())).values().stream().anyMatch(row -> row.same(session));
  }

  /** Looks at pg_stat_activity until every target is settled or the timeout has passed. */
  private void poll(
      List<Outcome> outcomes,
      List<Integer> signalled,
      Action action,
      long start,
      Duration timeout,
      Map<Integer, Waited> found)
      throws SQLException {
    List<Integer> waiting = new ArrayList<>(signalled);
    long deadline = start + timeout.toNanos();
    Duration interval = FIRST_INTERVAL;
    while (true) {
      Map<Integer, Row> now =
          rows(waiting.stream().map(i -> outcomes.get(i).session().orElseThrow().pid()).toList());
      Map<Integer, Ending> stillWaiting = new LinkedHashMap<>();
      for (int i : waiting) {
        Session session = outcomes.get(i).session().orElseThrow();
        Row row = now.get(session.pid());
        Ending ending = ending(action, session, row != null && row.same(session) ? row : null);
        if (ending.escalates()) {
          stillWaiting.put(i, ending);
        } else {
          found.put(i, new Waited(ending, elapsed(start)));
        }
      }
      waiting = new ArrayList<>(stillWaiting.keySet());
      long left = deadline - System.nanoTime();
      if (waiting.isEmpty() || left <= 0) {
        stillWaiting.forEach((i, ending) -> found.put(i, new Waited(ending, timeout)));
        return;
      }
      sleep(Math.min(interval.toNanos(), left));
      interval = interval.multipliedBy(2).compareTo(LONGEST_INTERVAL) > 0
          ? LONGEST_INTERVAL
          : interval.multipliedBy(2);
    }
  }

  /**
   * What a poll says about one target; {@code now} is its row if the same backend is still there.
   * A cancel is done once the inspected query no longer runs, unless the session sits idle in
   * the same transaction: a cancel does not end a transaction, and an open one still holds its
   * locks. An aborted transaction holds none, so that counts as done. A session that ran no query
   * when inspected gave the cancel nothing to stop: if it was idle in a transaction, only the
   * session itself can end that transaction, and when it does it ended by itself.
   */
  static Ending ending(Action action, Session inspected, Row now) {
    if (now == null) {
      return action == Action.CANCEL ? Ending.ENDED : Ending.TERMINATED;
    }
    if (action == Action.TERMINATE) {
      return Ending.STILL_RUNNING;
    }
    if (now.state() == null || inspected.state() == null) {
      return Ending.UNKNOWN;
    }
    if (!running(inspected.state())) {
      if (!IDLE_IN_TRANSACTION.equals(inspected.state()) || inspected.xactStart() == null) {
        return Ending.NOTHING_TO_CANCEL;
      }
      return sameTime(inspected.xactStart(), now.xactStart())
          ? Ending.STILL_IN_TRANSACTION
          : Ending.ENDED_BY_ITSELF;
    }
    if (inspected.queryStart() == null) {
      return Ending.UNKNOWN;
    }
    if (running(now.state()) && sameTime(inspected.queryStart(), now.queryStart())) {
      return Ending.STILL_RUNNING;
    }
    if (IDLE_IN_TRANSACTION.equals(now.state())
        && inspected.xactStart() != null
        && sameTime(inspected.xactStart(), now.xactStart())) {
      return Ending.STILL_IN_TRANSACTION;
    }
    return Ending.CANCELLED;
  }

  private static boolean running(String state) {
    return "active".equals(state) || "fastpath function call".equals(state);
  }

  private static boolean sameTime(OffsetDateTime a, OffsetDateTime b) {
    return a != null && b != null && a.isEqual(b);
  }

  private Map<Integer, Row> rows(List<Integer> pids) throws SQLException {
    Map<Integer, Row> rows = new LinkedHashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(STILL_THERE)) {
      Array array = connection.createArrayOf("int4", pids.toArray(Integer[]::new));
      statement.setArray(1, array);
      log.debug("{}\n  with pids={}", STILL_THERE, pids);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          rows.put(
              row.getInt("pid"),
              new Row(
                  row.getObject("backend_start", OffsetDateTime.class),
                  row.getString("usename"),
                  row.getString("datname"),
                  row.getString("state"),
                  row.getObject("query_start", OffsetDateTime.class),
                  row.getObject("xact_start", OffsetDateTime.class)));
        }
      } finally {
        array.free();
      }
    }
    return rows;
  }

  /** A target's pg_stat_activity row as a poll sees it. */
  record Row(
      OffsetDateTime backendStart,
      String user,
      String database,
      String state,
      OffsetDateTime queryStart,
      OffsetDateTime xactStart) {

    /** Whether this is still the backend inspected, not a new one that got its PID. */
    boolean same(Session session) {
      return session.backendStart() == null
          ? backendStart == null
              && Objects.equals(user, session.user())
              && Objects.equals(database, session.database())
          : sameTime(session.backendStart(), backendStart);
    }
  }

  private static void bindIdentity(PreparedStatement statement, int first, Session session)
      throws SQLException {
    statement.setInt(first, session.pid());
    statement.setObject(first + 1, session.backendStart());
    statement.setString(first + 2, session.user());
    statement.setString(first + 3, session.database());
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(Math.max(1, nanos / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isConnectionLoss(SQLException e) {
    return ServerMessage.connectionLost(e);
  }
}
