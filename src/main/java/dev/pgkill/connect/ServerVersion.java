package dev.pgkill.connect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The server's {@code server_version_num}, and the one place that says what each version can do.
 * Every difference between majors that pgkill's SQL depends on is decided here, by number, never by
 * the wording of a message.
 *
 * @param number {@code server_version_num}: 180006 for 18.6, 120022 for 12.22
 */
public record ServerVersion(int number) {
  /**
   * The first release with {@code pg_terminate_backend(pid, timeout)} and {@code
   * pg_locks.waitstart}.
   */
  static final int FOURTEEN = 140000;

  public static ServerVersion of(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery("select current_setting('server_version_num')::int")) {
      row.next();
      return new ServerVersion(row.getInt(1));
    }
  }

  /**
   * Whether {@code pg_stat_activity} shows a parallel worker's {@code leader_pid} (13 and later).
   */
  public boolean hasLeaderPid() {
    return number >= 130000;
  }

  /** Whether {@code pg_stat_activity} shows {@code query_id} (14 and later). */
  public boolean hasQueryId() {
    return number >= FOURTEEN;
  }

  /** Whether the server lists the wait events it knows in {@code pg_wait_events} (17 and later). */
  public boolean hasWaitEventsView() {
    return number >= 170000;
  }

  /** Whether {@code pg_terminate_backend} can wait for the backend to exit (14 and later). */
  public boolean terminateCanWait() {
    return number >= FOURTEEN;
  }

  /** Whether {@code pg_locks} says since when a lock has been awaited (14 and later). */
  public boolean hasLockWaitStart() {
    return number >= FOURTEEN;
  }

  /**
   * Whether the server treats a process without a role (autovacuum launcher and workers, the
   * logical replication launcher) as a superuser's, which only a superuser may signal: since the
   * CVE-2023-5870 fix in 11.22, 12.17, 13.13, 14.10, 15.5 and 16.1. 10 never got it: there a member
   * of pg_signal_backend may signal them.
   */
  public boolean rolelessCountsAsSuperuser() {
    int major = number / 10000;
    int minor = number % 10000;
    return switch (major) {
      case 11 -> minor >= 22;
      case 12 -> minor >= 17;
      case 13 -> minor >= 13;
      case 14 -> minor >= 10;
      case 15 -> minor >= 5;
      case 16 -> minor >= 1;
      default -> major > 16;
    };
  }

  /**
   * Whether autovacuum workers may be signalled by the roles with the privileges of {@code
   * pg_signal_autovacuum_worker}, and only by them (18 and later).
   */
  public boolean hasSignalAutovacuumWorker() {
    return number >= 180000;
  }

  /** {@code 18.6}, {@code 12.22}: the release as a DBA names it. */
  @Override
  public String toString() {
    return number / 10000 + "." + number % 10000;
  }
}
