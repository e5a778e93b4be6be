package dev.pgkill.signal;

import dev.pgkill.select.Session;
import dev.pgkill.signal.Safety.Screened;
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
 * different backend_start means the PID was reused.
 */
public final class Signaller {
  private static final String IDENTITY_CHECKED =
      """
      select a.backend_start = ? as same_backend,
             case when a.backend_start = ? then %s(a.pid) end as signalled
        from pg_stat_activity a
       where a.pid = ? and a.pid <> pg_backend_pid()""";

  /**
   * For a session whose backend_start is hidden from pgkill's role (--unverified): the most that
   * can be checked is that the PID still belongs to the same role and database.
   */
  private static final String VISIBLE_COLUMNS_CHECKED =
      """
      select a.usename is not distinct from ? and a.datname is not distinct from ? as same_backend,
             case when a.usename is not distinct from ? and a.datname is not distinct from ?
                  then %s(a.pid) end as signalled
        from pg_stat_activity a
       where a.pid = ? and a.pid <> pg_backend_pid() and a.backend_start is null""";

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
  public List<Outcome> signal(List<Screened> cleared, Action action) throws SQLException {
    String sql = IDENTITY_CHECKED.formatted(action.function());
    String hiddenSql = VISIBLE_COLUMNS_CHECKED.formatted(action.function());
    List<Outcome> outcomes = new ArrayList<>(cleared.size());
    boolean lost = false;
    try (PreparedStatement statement = connection.prepareStatement(sql);
        PreparedStatement hidden = connection.prepareStatement(hiddenSql)) {
      for (Screened screened : cleared) {
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
    try {
      if (session.identifiable()) {
        log.debug("{}\n  with backend_start={} pid={}", sql, session.backendStart(), session.pid());
        statement.setObject(1, session.backendStart());
        statement.setObject(2, session.backendStart());
        statement.setInt(3, session.pid());
      } else {
        log.debug("{}\n  with user={} database={} pid={}", sql, session.user(), session.database(), session.pid());
        statement.setString(1, session.user());
        statement.setString(2, session.database());
        statement.setString(3, session.user());
        statement.setString(4, session.database());
        statement.setInt(5, session.pid());
      }
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Outcome.of(target, session, action, Result.GONE);
        }
        if (!row.getBoolean("same_backend")) {
          return Outcome.of(target, session, action, Result.REPLACED);
        }
        boolean signalled = row.getBoolean("signalled");
        SQLWarning warning = statement.getWarnings();
        if (signalled) {
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

  /** SQLSTATE class 08 is a connection exception: the target may or may not have been reached. */
  private static boolean isConnectionLoss(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("08");
  }
}
