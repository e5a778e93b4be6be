package dev.pgkill.signal;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

/** A WARNING or ERROR the server raised about one target, as the server worded it. */
public record ServerMessage(String severity, String sqlState, String text, String detail) {

  static ServerMessage of(SQLException e) {
    ServerErrorMessage server = null;
    if (e instanceof PSQLException p) {
      server = p.getServerErrorMessage();
    } else if (e instanceof PSQLWarning w) {
      server = w.getServerErrorMessage();
    }
    if (server == null) {
      return new ServerMessage(
          e instanceof java.sql.SQLWarning ? "WARNING" : "ERROR",
          e.getSQLState(),
          e.getMessage(),
          null);
    }
    return new ServerMessage(
        server.getSeverity(), server.getSQLState(), server.getMessage(), server.getDetail());
  }
}
