package dev.pgkill.connect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The server pgkill's session reached, as the server itself says: of a failover list only the host
 * that answered, and a Unix socket by its path rather than as {@code localhost}. A DBA about to
 * confirm a terminate must see which server, and whether it is the primary.
 *
 * @param address {@code HOST:PORT} ({@code [::1]:5432} for IPv6), or the socket's path
 * @param standby whether the server is in recovery: a standby, not a primary
 * @param host the server's IP address; empty over a Unix socket, where {@code address} names it
 * @param port the port the server listens on (over a socket, the one in the socket's name)
 * @param systemIdentifier {@code pg_control_system()}'s, a 64-bit number as text; empty where
 *     pgkill's role may not execute that function
 */
public record ServerIdentity(
    String address,
    ServerVersion version,
    boolean standby,
    Optional<String> host,
    int port,
    Optional<String> systemIdentifier) {

  /** A server known only by its address, as a test or a prompt names it. */
  public ServerIdentity(String address, ServerVersion version, boolean standby) {
    this(address, version, standby, Optional.empty(), 0, Optional.empty());
  }

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
                    + " current_setting('port')::int,"
                    + " has_function_privilege('pg_control_system()', 'execute')")) {
      row.next();
      String host = row.getString(1);
      int port = host != null ? row.getInt(2) : row.getInt(5);
      String address;
      if (host != null) {
        address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
      } else if (endpoint != null && endpoint.isSocket()) {
        address = endpoint.socketFile().toString();
      } else {
        address = "Unix socket, port " + port;
      }
      ServerVersion version = new ServerVersion(row.getInt(3));
      boolean standby = row.getBoolean(4);
      boolean readable = row.getBoolean(6);
      return new ServerIdentity(
          address,
          version,
          standby,
          Optional.ofNullable(host),
          port,
          readable ? systemIdentifier(statement) : Optional.empty());
    }
  }

  /**
   * Read only where the role may, which the first statement asked: the server checks the privilege
   * of every function a statement names before it runs any of it, even one a CASE never reaches, so
   * it cannot be the same statement without failing (and logging an ERROR) for a role that may not.
   */
  private static Optional<String> systemIdentifier(Statement statement) throws SQLException {
    try (ResultSet row =
        statement.executeQuery("select system_identifier::text from pg_control_system()")) {
      return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
    }
  }

  /** {@code 127.0.0.1:5432 (PostgreSQL 18.1, primary)}, as the prompt and {@code -v} name it. */
  @Override
  public String toString() {
    return address + " (PostgreSQL " + version + ", " + (standby ? "standby" : "primary") + ")";
  }
}
