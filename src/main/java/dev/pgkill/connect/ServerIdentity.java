package dev.pgkill.connect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The server pgkill's session reached, as the server itself says: of a failover list only the host
 * that answered, and a Unix socket by its path rather than as {@code localhost}. A DBA about to
 * confirm a terminate must see which server, and whether it is the primary.
 *
 * @param address {@code HOST:PORT} ({@code [::1]:5432} for IPv6), or the socket's path
 * @param standby whether the server is in recovery: a standby, not a primary
 */
public record ServerIdentity(String address, ServerVersion version, boolean standby) {

  /**
   * Asks the server on this session; {@code endpoint} is where the session was opened, which names
   * the socket when the server has no address to give (it never has over a Unix socket).
   */
  public static ServerIdentity of(Connection connection, Endpoint endpoint) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "select host(inet_server_addr()), inet_server_port(),"
                    + " current_setting('server_version_num')::int, pg_is_in_recovery(),"
                    + " current_setting('port')")) {
      row.next();
      String host = row.getString(1);
      String address;
      if (host != null) {
        address = (host.contains(":") ? "[" + host + "]" : host) + ":" + row.getInt(2);
      } else if (endpoint != null && endpoint.isSocket()) {
        address = endpoint.socketFile().toString();
      } else {
        address = "Unix socket, port " + row.getString(5);
      }
      return new ServerIdentity(address, new ServerVersion(row.getInt(3)), row.getBoolean(4));
    }
  }

  /** {@code 127.0.0.1:5432 (PostgreSQL 18.1, primary)}, as the prompt and {@code -v} name it. */
  @Override
  public String toString() {
    return address + " (PostgreSQL " + version + ", " + (standby ? "standby" : "primary") + ")";
  }
}
