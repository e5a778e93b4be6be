package dev.pgkill.select;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Looks targets up in {@code pg_stat_activity}: one statement for all of them, in autocommit so
 * the view is fresh rather than a transaction's snapshot.
 */
public final class SessionFinder {
  static final String BY_PID =
      """
      select a.pid, a.backend_start, a.usename, a.datname, a.application_name,
             case when a.client_port = -1 then 'local' else host(a.client_addr) end as client,
             a.backend_type, a.state, a.query_start, a.xact_start, a.state_change, a.query,
             a.pid = pg_backend_pid() as own
        from pg_stat_activity a
       where a.pid = any (?)
       order by a.pid""";

  private final Connection connection;
  private final Logger log;

  public SessionFinder(Connection connection, Logger log) {
    this.connection = connection;
    this.log = log;
  }

  /** The sessions among the selection's targets that exist now; absent PIDs are simply missing. */
  public List<Session> find(Selection selection) throws SQLException {
    Integer[] pids = selection.targets().stream().map(Target::pid).toArray(Integer[]::new);
    log.debug("{}\n  with pids={}", BY_PID, pids.length <= 20 ? List.of(pids) : pids.length + " PIDs");
    Array array = connection.createArrayOf("int4", pids);
    try (PreparedStatement statement = connection.prepareStatement(BY_PID)) {
      statement.setArray(1, array);
      List<Session> sessions = new ArrayList<>();
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          sessions.add(session(row));
        }
      }
      log.info("{} of {} targets found in pg_stat_activity", sessions.size(), pids.length);
      return sessions;
    } finally {
      array.free();
    }
  }

  private static Session session(ResultSet row) throws SQLException {
    return new Session(
        row.getInt("pid"),
        row.getObject("backend_start", OffsetDateTime.class),
        row.getString("usename"),
        row.getString("datname"),
        row.getString("application_name"),
        row.getString("client"),
        row.getString("backend_type"),
        row.getString("state"),
        row.getObject("query_start", OffsetDateTime.class),
        row.getObject("xact_start", OffsetDateTime.class),
        row.getObject("state_change", OffsetDateTime.class),
        row.getString("query"),
        row.getBoolean("own"));
  }
}
