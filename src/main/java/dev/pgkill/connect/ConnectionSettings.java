package dev.pgkill.connect;

import java.util.Arrays;

/**
 * Where and how to connect, fully resolved. {@link #toString()} never shows the password: it is
 * what errors and logs print as "what was tried".
 */
public record ConnectionSettings(
    String host, int port, String user, String database, char[] password, int connectTimeoutSeconds) {

  public ConnectionSettings withPassword(char[] newPassword) {
    return new ConnectionSettings(host, port, user, database, newPassword, connectTimeoutSeconds);
  }

  public boolean hasPassword() {
    return password != null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConnectionSettings s
        && host.equals(s.host)
        && port == s.port
        && user.equals(s.user)
        && database.equals(s.database)
        && Arrays.equals(password, s.password)
        && connectTimeoutSeconds == s.connectTimeoutSeconds;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(host, port, user, database, connectTimeoutSeconds);
  }

  /** In libpq's words, as psql names a failed connection: {@code host=... port=... user=...}. */
  @Override
  public String toString() {
    return "host=" + host + " port=" + port + " user=" + user + " dbname=" + database;
  }
}
