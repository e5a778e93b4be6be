package dev.pgkill.select;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;

/** Reads one row of {@link SessionFinder}'s statement on pg_stat_activity as a {@link Session}. */
final class SessionRow {
  private SessionRow() {}

  static Session read(ResultSet row) throws SQLException {
    return Session.builder(row.getInt("pid"))
        .backendStart(row.getObject("backend_start", OffsetDateTime.class))
        .user(row.getString("usename"))
        .database(row.getString("datname"))
        .application(row.getString("application_name"))
        .client(row.getString("client"))
        .backendType(row.getString("backend_type"))
        .state(row.getString("state"))
        .times(
            row.getObject("query_start", OffsetDateTime.class),
            row.getObject("xact_start", OffsetDateTime.class),
            row.getObject("state_change", OffsetDateTime.class))
        .query(row.getString("query"))
        .age(age(row.getObject("age_seconds")))
        .own(row.getBoolean("own"))
        .xmin(
            row.getObject("xmin_age") == null ? null : row.getLong("xmin_age"),
            row.getString("horizon"))
        .leaderPid((Integer) row.getObject("leader_pid"))
        .lockWait(
            age(row.getObject("lock_waiting_seconds")),
            LockWaitSql.read(row.getArray("lock_wanted")))
        .group(
            row.getObject("newest_in_group") == null ? null : row.getInt("newest_in_group"),
            row.getObject("group_sessions") == null ? null : row.getInt("group_sessions"))
        .waitEvent(row.getString("wait_event_type"), row.getString("wait_event"))
        .backendXid(longOrNull(row, "backend_xid"))
        .queryId(longOrNull(row, "query_id"))
        .clientPort((Integer) row.getObject("client_port"), row.getString("client_hostname"))
        .capturedAt(row.getObject("captured_at", OffsetDateTime.class))
        .build();
  }

  private static Long longOrNull(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  private static Duration age(Object seconds) {
    return seconds == null
        ? null
        : Duration.ofNanos(Math.round(((Number) seconds).doubleValue() * 1e9));
  }
}
