package dev.pgkill.signal;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

/** A WARNING or ERROR the server raised about one target, as the server worded it. */
public record ServerMessage(String severity, String sqlState, String text, String detail) {

  /** The SQLSTATE of a permission error (42501, insufficient_privilege). */
  public static final String INSUFFICIENT_PRIVILEGE = "42501";

  /**
   * Whether the error means pgkill's own connection is gone: class 08 (connection exception), or
   * 57P (operator intervention: its session was terminated, by another DBA or a fast shutdown, as
   * FATAL 57P01, 57P02, 57P03 ...). A FATAL ends the session just as a broken socket does.
   */
  static boolean connectionLost(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  static ServerMessage of(SQLException e) {
    ServerErrorMessage server = null;
    if (e instanceof PSQLException p) {
      server = p.getServerErrorMessage();
    } else if (e instanceof PSQLWarning w) {
      server = w.getServerErrorMessage();
    }
    if (server == null) {
      return new ServerMessage(
          e instanceof java.sql.SQLWarning ? "WARNING" : "ERROR", e.getSQLState(), e.getMessage(), null);
    }
    return new ServerMessage(
        server.getSeverity(), server.getSQLState(), server.getMessage(), server.getDetail());
  }
}
