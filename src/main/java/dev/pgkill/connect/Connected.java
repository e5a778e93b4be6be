package dev.pgkill.connect;

import java.sql.Connection;
import java.sql.SQLException;

/** pgkill's open session, and the server it reached. */
public record Connected(Connection connection, ServerIdentity server) implements AutoCloseable {
  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
