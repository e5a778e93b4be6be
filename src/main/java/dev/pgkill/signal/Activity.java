package dev.pgkill.signal;

import dev.pgkill.select.BackendId;
import dev.pgkill.select.Session;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * What pg_stat_activity shows now of the signalled backends: one statement for all of them, in
 * autocommit so that each look sees the view as it is now rather than a transaction's snapshot.
 */
final class Activity {
  private static final String STILL_THERE =
      "select a.pid, a.backend_start, a.usename, a.datname, a.state, a.query_start, a.xact_start"
          + " from pg_stat_activity a where a.pid = any (?)";

  private final Connection connection;
  private final Logger log;

  Activity(Connection connection, Logger log) {
    this.connection = connection;
    this.log = log;
  }

  /** A target's pg_stat_activity row as a poll sees it. */
  record Row(
      BackendId id,
      String user,
      String database,
      String state,
      OffsetDateTime queryStart,
      OffsetDateTime xactStart) {

    /**
     * Whether this is still the backend inspected, not a new one that got its PID; user and
     * database stand in where backend_start is hidden.
     */
    boolean same(Session session) {
      return id.equals(session.id())
          && (session.identifiable()
              || Objects.equals(user, session.user())
                  && Objects.equals(database, session.database()));
    }
  }

  /** Whether the backend inspected is still there. */
  boolean stillThere(Session session) throws SQLException {
    return rows(List.of(session.pid())).values().stream().anyMatch(row -> row.same(session));
  }

  /** The rows of those PIDs that still have one, by PID. */
  Map<Integer, Row> rows(List<Integer> pids) throws SQLException {
    Map<Integer, Row> rows = new LinkedHashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(STILL_THERE)) {
      Array array = connection.createArrayOf("int4", pids.toArray(Integer[]::new));
      statement.setArray(1, array);
      log.debug("{}\n  with pids={}", STILL_THERE, pids);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          int pid = row.getInt("pid");
          rows.put(
              pid,
              new Row(
                  new BackendId(pid, row.getObject("backend_start", OffsetDateTime.class)),
                  row.getString("usename"),
                  row.getString("datname"),
                  row.getString("state"),
                  row.getObject("query_start", OffsetDateTime.class),
                  row.getObject("xact_start", OffsetDateTime.class)));
        }
      } finally {
        array.free();
      }
    }
    return rows;
  }
}
