package dev.pgkill.signal;

import dev.pgkill.connect.SqlStates;
import dev.pgkill.safety.Cleared;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Outcome.Result;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import org.slf4j.Logger;

/**
 * One identity-checked statement, prepared once and run once per target. Every variant answers in
 * the same two columns, {@code same_backend} and {@code signalled}, so every answer is read alike.
 */
final class CheckedStatement implements AutoCloseable {
  /** Binds the parameters of one target. */
  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private final PreparedStatement statement;
  private final Action action;
  private final Logger log;

  CheckedStatement(Connection connection, String sql, Action action, Logger log)
      throws SQLException {
    this.statement = connection.prepareStatement(sql);
    this.action = action;
    this.log = log;
  }

  /**
   * Runs the statement for one target and reads its answer: no row, the backend is gone; not the
   * same backend, its PID was reused; a null signal, the statement's own condition held it back;
   * else the server's boolean, with its WARNING, or its ERROR.
   */
  Outcome run(Cleared screened, Binder binder) {
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
      log.debug("{} {} failed", action.verb(), session.pid(), e);
      return failed(target, session, e);
    }
  }

  /** A lost connection may or may not have reached the target; an ERROR is the server's no. */
  private Outcome failed(Target target, Session session, SQLException e) {
    ServerMessage message = ServerMessage.of(e);
    if (SqlStates.connectionLost(e)) {
      return Outcome.of(target, session, action, Result.CONNECTION_LOST, message);
    }
    Result result =
        SqlStates.INSUFFICIENT_PRIVILEGE.equals(message.sqlState()) ? Result.DENIED : Result.ERROR;
    return Outcome.of(target, session, action, result, message);
  }

  @Override
  public void close() throws SQLException {
    statement.close();
  }
}
