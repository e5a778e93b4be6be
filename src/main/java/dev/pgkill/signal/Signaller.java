package dev.pgkill.signal;

import dev.pgkill.text.Timestamps;

import dev.pgkill.select.Session;
import dev.pgkill.safety.Cleared;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Outcome.Result;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Sends the signal, one statement per target in autocommit, so that each target gets its own
 * boolean, its own WARNING and its own permission ERROR, and an error on one target cannot hide
 * what happened to the ones before it.
 *
 * <p>The statement signals only if the PID still belongs to the backend that was inspected
 * ({@code pid} and {@code backend_start}, checked in the same statement) and is not pgkill's own.
 * It tells the two ways of not matching apart: no row means the backend is gone, a row with a
 * different backend_start means the PID was reused. It reads {@code pg_stat_get_activity(pid)},
 * the one row of that backend, with the same privilege rules as the view: the view would build a
 * row for every backend of the server, for every target.
 *
 * <p>Where no per-target ERROR is possible, a superuser signalling client backends, all targets
 * go in one statement over arrays, which still returns each target's own boolean. A target whose
 * boolean is false was not signalled, so it is tried again on its own to get its own WARNING.
 */
public final class Signaller {
  private static final String IDENTITY_CHECKED =
      """
      select a.backend_start = ? as same_backend,
             case when a.backend_start = ? then %s(a.pid) end as signalled
        from pg_stat_get_activity(?) a
       where a.pid <> pg_backend_pid()""";

  /**
   * --escalate: terminate only a session still busy with what the cancel was sent for, the same
   * query (query_start) still running or the same transaction (xact_start) still open, checked in
   * the statement that signals, so a session that finished in the meantime is left alone.
   */
  private static final String STILL_BUSY_CHECKED =
      """
      select a.backend_start = ? as same_backend,
             case when a.backend_start = ?
                   and ((a.state in ('active', 'fastpath function call') and a.query_start = ?)
                        or (a.state = 'idle in transaction' and a.xact_start = ?))
                  then pg_terminate_backend(a.pid) end as signalled
        from pg_stat_get_activity(?) a
       where a.pid <> pg_backend_pid()""";

  /** Many targets at once, in the order given: one row each, null where the backend is gone. */
  private static final String IDENTITY_CHECKED_BULK =
      """
      select t.n, a.backend_start = t.backend_start as same_backend,
             case when a.backend_start = t.backend_start then %s(a.pid) end as signalled
        from unnest(?::int[], ?::timestamptz[]) with ordinality as t(pid, backend_start, n)
        left join lateral pg_stat_get_activity(t.pid) a on a.pid <> pg_backend_pid()
       order by t.n""";

  /** Fewer targets than this gain nothing from the bulk statement. */
  private static final int BULK_FROM = 3;

  /**
   * For a session whose backend_start is hidden from pgkill's role (--unverified): the most that
   * can be checked is that the PID still belongs to the same role and database.
   */
  private static final String VISIBLE_COLUMNS_CHECKED =
      """
      select u.usename is not distinct from ? and u.datname is not distinct from ? as same_backend,
             case when u.usename is not distinct from ? and u.datname is not distinct from ?
                  then %s(u.pid) end as signalled
        from (select a.pid, a.backend_start, pg_get_userbyid(a.usesysid) as usename,
                     (select d.datname from pg_database d where d.oid = a.datid) as datname
                from pg_stat_get_activity(?) a) u
       where u.pid <> pg_backend_pid() and u.backend_start is null""";

  private final Connection connection;
  private final Logger log;

  public Signaller(Connection connection, Logger log) {
    this.connection = connection;
    this.log = log;
  }

  /**
   * Signals each session in turn. If the connection is lost, the targets not yet reached are
   * reported as not attempted rather than guessed at.
   */
  public List<Outcome> signal(List<Cleared> cleared, Action action) throws SQLException {
    if (bulkIsSafe(cleared)) {
      return signalInBulk(cleared, action);
    }
    return signalEach(cleared, action);
  }

  /**
   * Only a superuser can get no permission ERROR, and only client backends whose identity can be
   * checked go through the one identity-checked statement.
   */
  private boolean bulkIsSafe(List<Cleared> cleared) throws SQLException {
    return cleared.size() >= BULK_FROM
        && cleared.stream()
            .map(Cleared::session)
            .allMatch(s -> s.identifiable() && s.clientBackend())
        && "on".equals(
            connection.unwrap(org.postgresql.PGConnection.class).getParameterStatus("is_superuser"));
  }

  private List<Outcome> signalInBulk(List<Cleared> cleared, Action action) throws SQLException {
    String sql = IDENTITY_CHECKED_BULK.formatted(action.function());
    Integer[] pids = cleared.stream().map(s -> s.session().pid()).toArray(Integer[]::new);
    String[] starts =
        cleared.stream().map(s -> Timestamps.utc(s.session().backendStart())).toArray(String[]::new);
    log.debug("{}\n  with {} pids and backend_starts", sql, pids.length);
    Outcome[] outcomes = new Outcome[cleared.size()];
    List<Cleared> retry = new ArrayList<>();
    List<Integer> retryAt = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("int4", pids));
      statement.setArray(2, connection.createArrayOf("text", starts));
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          int i = row.getInt("n") - 1;
          Cleared screened = cleared.get(i);
          Object same = row.getObject("same_backend");
          Result result =
              same == null
                  ? Result.GONE
                  : !(Boolean) same
                      ? Result.REPLACED
                      : row.getBoolean("signalled") ? Result.SIGNALLED : null;
          if (result == null) {
            retry.add(screened);
            retryAt.add(i);
          } else {
            outcomes[i] = Outcome.of(screened.target(), screened.session(), action, result);
          }
        }
      }
    } catch (SQLException e) {
      if (!isConnectionLoss(e)) {
        throw e;
      }
      // Which targets the lost statement reached is unknown: say so of every one.
      ServerMessage message = ServerMessage.of(e);
      return cleared.stream()
          .map(s -> Outcome.of(s.target(), s.session(), action, Result.CONNECTION_LOST, message))
          .toList();
    }
    List<Outcome> retried = signalEach(retry, action);
    for (int k = 0; k < retried.size(); k++) {
      outcomes[retryAt.get(k)] = retried.get(k);
    }
    log.info("{} {} targets in one statement, {} again one by one", action.verb(), pids.length, retry.size());
    return List.of(outcomes);
  }

  /**
   * The terminate of --escalate, one statement per target: only sessions still running the query,
   * or still in the transaction, they were inspected in.
   */
  public List<Outcome> terminateIfStillBusy(List<Cleared> busy) throws SQLException {
    List<Outcome> outcomes = new ArrayList<>(busy.size());
    boolean lost = false;
    try (PreparedStatement statement = connection.prepareStatement(STILL_BUSY_CHECKED)) {
      for (Cleared screened : busy) {
        Session session = screened.session();
        Outcome outcome;
        if (lost) {
          outcome = Outcome.of(screened.target(), session, Action.TERMINATE, Result.NOT_ATTEMPTED);
        } else {
          log.debug("{}\n  with backend_start={} query_start={} xact_start={} pid={}",
              STILL_BUSY_CHECKED, session.backendStart(), session.queryStart(), session.xactStart(),
              session.pid());
          outcome = run(statement, screened, Action.TERMINATE, p -> {
            p.setObject(1, session.backendStart());
            p.setObject(2, session.backendStart());
            p.setObject(3, session.queryStart());
            p.setObject(4, session.xactStart());
            p.setInt(5, session.pid());
          });
        }
        lost = outcome.result().lostServer();
        outcomes.add(outcome);
      }
    }
    return outcomes;
  }

  private List<Outcome> signalEach(List<Cleared> cleared, Action action) throws SQLException {
    String sql = IDENTITY_CHECKED.formatted(action.function());
    String hiddenSql = VISIBLE_COLUMNS_CHECKED.formatted(action.function());
    List<Outcome> outcomes = new ArrayList<>(cleared.size());
    boolean lost = false;
    try (PreparedStatement statement = connection.prepareStatement(sql);
        PreparedStatement hidden = connection.prepareStatement(hiddenSql)) {
      for (Cleared screened : cleared) {
        Target target = screened.target();
        Session session = screened.session();
        Outcome outcome =
            lost
                ? Outcome.of(target, session, action, Result.NOT_ATTEMPTED)
                : session.identifiable()
                    ? signalOne(statement, sql, target, session, action)
                    : signalOne(hidden, hiddenSql, target, session, action);
        lost = outcome.result().lostServer();
        log.info("{} {}: {}", action.verb(), session.pid(), outcome.result());
        outcomes.add(outcome);
      }
    }
    return outcomes;
  }

  private Outcome signalOne(
      PreparedStatement statement, String sql, Target target, Session session, Action action) {
    if (session.identifiable()) {
      log.debug("{}\n  with backend_start={} pid={}", sql, session.backendStart(), session.pid());
    } else {
      log.debug("{}\n  with user={} database={} pid={}", sql, session.user(), session.database(),
          session.pid());
    }
    return run(statement, new Cleared(target, session), action, p -> {
      if (session.identifiable()) {
        p.setObject(1, session.backendStart());
        p.setObject(2, session.backendStart());
        p.setInt(3, session.pid());
      } else {
        p.setString(1, session.user());
        p.setString(2, session.database());
        p.setString(3, session.user());
        p.setString(4, session.database());
        p.setInt(5, session.pid());
      }
    });
  }

  /** Binds the parameters of one target. */
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /**
   * Runs one identity-checked statement and reads its answer: no row, the backend is gone; not
   * the same backend, its PID was reused; a null signal, the statement's own condition held it
   * back; else the server's boolean, with its WARNING, or its ERROR.
   */
  private Outcome run(PreparedStatement statement, Cleared screened, Action action, Binder binder) {
    Target target = screened.target();
    Session session = screened.session();
    try {
      binder.bind(statement);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Outcome.of(target, session, action, Result.GONE);
        }
        if (!row.getBoolean("same_backend")) {
          return Outcome.of(target, session, action, Result.REPLACED);
        }
        Object signalled = row.getObject("signalled");
        if (signalled == null) {
          return Outcome.of(target, session, action, Result.FINISHED_IN_GRACE);
        }
        SQLWarning warning = statement.getWarnings();
        if ((Boolean) signalled) {
          return Outcome.of(target, session, action, Result.SIGNALLED);
        }
        return warning == null
            ? Outcome.of(target, session, action, Result.FALSE)
            : Outcome.of(target, session, action, Result.WARNING, ServerMessage.of(warning));
      }
    } catch (SQLException e) {
      ServerMessage message = ServerMessage.of(e);
      log.debug("{} {} failed", action.verb(), session.pid(), e);
      if (isConnectionLoss(e)) {
        return Outcome.of(target, session, action, Result.CONNECTION_LOST, message);
      }
      Result result =
          ServerMessage.INSUFFICIENT_PRIVILEGE.equals(message.sqlState())
              ? Result.DENIED
              : Result.ERROR;
      return Outcome.of(target, session, action, result, message);
    }
  }

  /** A lost connection: the target may or may not have been reached. */
  private static boolean isConnectionLoss(SQLException e) {
    return ServerMessage.connectionLost(e);
  }
}
