package dev.pgkill.select;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One row of {@code pg_stat_activity} as pgkill's role saw it. Without {@code pg_read_all_stats},
 * another role's session shows null {@code backendStart}, {@code state}, times, client and
 * backend type, and the query {@code <insufficient privilege>}.
 *
 * @param client the client address, {@code local} for a Unix-domain socket, or null
 * @param age how long it has been in its state: running the query when active, idle when idle,
 *     else connected; null when hidden
 * @param own whether this is pgkill's own session
 * @param xminAge with --xmin-older-than: how many transactions old the horizon it holds back
 *     vacuum at is, the older of its backend_xmin and backend_xid; else null
 * @param horizon which of the two that is, {@code backend_xmin} or {@code backend_xid}; null when
 *     {@code xminAge} is
 * @param leaderPid of a parallel worker, the PID of the backend whose query it works for (from
 *     PostgreSQL 13, which shows leader_pid); else null
 */
public record Session(
    int pid,
    OffsetDateTime backendStart,
    String user,
    String database,
    String application,
    String client,
    String backendType,
    String state,
    OffsetDateTime queryStart,
    OffsetDateTime xactStart,
    OffsetDateTime stateChange,
    String query,
    Duration age,
    boolean own,
    Long xminAge,
    String horizon,
    Integer leaderPid) {

  public static final String CLIENT_BACKEND = "client backend";

  /** A session whose xmin age was not asked for. */
  public Session(
      int pid,
      OffsetDateTime backendStart,
      String user,
      String database,
      String application,
      String client,
      String backendType,
      String state,
      OffsetDateTime queryStart,
      OffsetDateTime xactStart,
      OffsetDateTime stateChange,
      String query,
      Duration age,
      boolean own) {
    this(pid, backendStart, user, database, application, client, backendType, state, queryStart,
        xactStart, stateChange, query, age, own, null, null, null);
  }

  /** A session that is no parallel worker. */
  public Session(
      int pid,
      OffsetDateTime backendStart,
      String user,
      String database,
      String application,
      String client,
      String backendType,
      String state,
      OffsetDateTime queryStart,
      OffsetDateTime xactStart,
      OffsetDateTime stateChange,
      String query,
      Duration age,
      boolean own,
      Long xminAge) {
    this(pid, backendStart, user, database, application, client, backendType, state, queryStart,
        xactStart, stateChange, query, age, own, xminAge, null, null);
  }

  /** The backend this row is of. */
  public BackendId id() {
    return new BackendId(pid, backendStart);
  }

  /** Whether the (pid, backend_start) identity of this session can be checked. */
  public boolean identifiable() {
    return backendStart != null;
  }

  /** Whether this is a client backend; null (hidden) counts as not known to be one. */
  public boolean clientBackend() {
    return CLIENT_BACKEND.equals(backendType);
  }
}
