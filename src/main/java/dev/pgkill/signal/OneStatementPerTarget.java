package dev.pgkill.signal;

import dev.pgkill.safety.Cleared;
import dev.pgkill.select.BackendId;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome.Result;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Signals one statement per target in autocommit, so that each target gets its own boolean, its own
 * WARNING and its own permission ERROR, and an error on one target cannot hide what happened to the
 * ones before it. Once the connection is lost, the targets not yet reached are reported as not
 * attempted rather than guessed at.
 */
final class OneStatementPerTarget {
  private static final String IDENTITY_CHECKED =
      """
      select a.backend_start = ? as same_backend,
             case when a.backend_start = ? then %s(a.pid) end as signalled
        from pg_stat_get_activity(?) a
       where a.pid <> pg_backend_pid()""";

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

  private final Connection connection;
  private final Logger log;

  OneStatementPerTarget(Connection connection, Logger log) {
    this.connection = connection;
    this.log = log;
  }

  /** Signals each target in turn, by its backend_start, or by user and database where hidden. */
  List<Outcome> signal(List<Cleared> cleared, Action action) throws SQLException {
    String sql = IDENTITY_CHECKED.formatted(action.function());
    String hiddenSql = VISIBLE_COLUMNS_CHECKED.formatted(action.function());
    try (CheckedStatement identity = new CheckedStatement(connection, sql, action, log);
        CheckedStatement visible = new CheckedStatement(connection, hiddenSql, action, log)) {
      return untilLost(
          cleared,
          action,
          screened ->
              screened.session().identifiable()
                  ? byIdentity(identity, sql, screened)
                  : byVisibleColumns(visible, hiddenSql, screened),
          outcome ->
              log.info("{} {}: {}", action.verb(), outcome.target().pid(), outcome.result()));
    }
  }

  /**
   * The terminate of --escalate: only sessions still running the query, or still in the
   * transaction, they were inspected in.
   */
  List<Outcome> terminateIfStillBusy(List<Cleared> busy) throws SQLException {
    try (CheckedStatement statement =
        new CheckedStatement(connection, STILL_BUSY_CHECKED, Action.TERMINATE, log)) {
      return untilLost(busy, Action.TERMINATE, screened -> stillBusy(statement, screened), o -> {});
    }
  }

  private Outcome byIdentity(CheckedStatement statement, String sql, Cleared screened) {
    BackendId id = screened.session().id();
    log.debug("{}\n  with backend_start={} pid={}", sql, id.backendStart(), id.pid());
    return statement.run(
        screened,
        p -> {
          p.setObject(1, id.backendStart());
          p.setObject(2, id.backendStart());
          p.setInt(3, id.pid());
        });
  }

  private Outcome byVisibleColumns(CheckedStatement statement, String sql, Cleared screened) {
    Session session = screened.session();
    log.debug(
        "{}\n  with user={} database={} pid={}",
        sql,
        session.user(),
        session.database(),
        session.pid());
    return statement.run(
        screened,
        p -> {
          p.setString(1, session.user());
          p.setString(2, session.database());
          p.setString(3, session.user());
          p.setString(4, session.database());
          p.setInt(5, session.pid());
        });
  }

  private Outcome stillBusy(CheckedStatement statement, Cleared screened) {
    Session session = screened.session();
    BackendId id = session.id();
    log.debug(
        "{}\n  with backend_start={} query_start={} xact_start={} pid={}",
        STILL_BUSY_CHECKED,
        id.backendStart(),
        session.queryStart(),
        session.xactStart(),
        id.pid());
    return statement.run(
        screened,
        p -> {
          p.setObject(1, id.backendStart());
          p.setObject(2, id.backendStart());
          p.setObject(3, session.queryStart());
          p.setObject(4, session.xactStart());
          p.setInt(5, id.pid());
        });
  }

  /** Each target in turn, until the connection is lost: the rest are not attempted. */
  private static List<Outcome> untilLost(
      List<Cleared> cleared,
      Action action,
      Function<Cleared, Outcome> signal,
      Consumer<Outcome> then) {
    List<Outcome> outcomes = new ArrayList<>(cleared.size());
    boolean lost = false;
    for (Cleared screened : cleared) {
      Outcome outcome =
          lost
              ? Outcome.of(screened.target(), screened.session(), action, Result.NOT_ATTEMPTED)
              : signal.apply(screened);
      lost = outcome.result().lostServer();
      then.accept(outcome);
      outcomes.add(outcome);
    }
    return outcomes;
  }
}
