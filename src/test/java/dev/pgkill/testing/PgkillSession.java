package dev.pgkill.testing;

import java.sql.SQLException;
import java.time.Duration;

/** pgkill's own session on the server, as another session sees it: to catch it mid-wait. */
public final class PgkillSession {
  /** How pg_stat_activity shows the statement pgkill polls with while it waits. */
  private static final String POLL =
      "select a.pid, a.backend_start, a.usename, a.datname, a.state, a.query_start, a.xact_start%";

  private PgkillSession() {}

  /**
   * Waits until pgkill, connected as {@code user}, has polled at least once for its targets, and
   * returns its backend's PID.
   */
  public static int awaitWaiting(PostgresServer server, String user) {
    int[] pid = new int[1];
    PostgresServer.await(
        "pgkill (as " + user + ") to wait for its targets",
        Duration.ofSeconds(30),
        () -> {
          try {
            String found =
                server.queryString(
                    PostgresServer.SUPERUSER,
                    "select pid from pg_stat_activity where application_name = 'pgkill' and usename = '"
                        + user
                        + "' and query like '"
                        + POLL
                        + "'");
            if (found == null) {
              return false;
            }
            pid[0] = Integer.parseInt(found);
            return true;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
    return pid[0];
  }
}
