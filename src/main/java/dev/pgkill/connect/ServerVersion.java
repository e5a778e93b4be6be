package dev.pgkill.connect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The server's {@code server_version_num}, and the one place that says what each version can do.
 * Every difference between majors that pgkill's SQL depends on is decided here, by number, never
 * by the wording of a message.
 *
 * @param number {@code server_version_num}: 180006 for 18.6, 120022 for 12.22
 */
public record ServerVersion(int number) {
  /** The first release with {@code pg_terminate_backend(pid, timeout)} and {@code pg_locks.waitstart}. */
  static final int FOURTEEN = 140000;

  public static ServerVersion of(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("select current_setting('server_version_num')::int")) {
      row.next();
      return new ServerVersion(row.getInt(1));
    }
  }

  /** Whether {@code pg_terminate_backend} can wait for the backend to exit (14 and later). */
  public boolean terminateCanWait() {
    return number >= FOURTEEN;
  }

  /** Whether {@code pg_locks} says since when a lock has been awaited (14 and later). */
  public boolean hasLockWaitStart() {
    return number >= FOURTEEN;
  }

  /** {@code 18.6}, {@code 12.22}: the release as a DBA names it. */
  @Override
  public String toString() {
    return number / 10000 + "." + number % 10000;
  }
}
