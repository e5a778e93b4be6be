package dev.pgkill.select;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One row of {@code pg_stat_activity} as pgkill's role saw it. Without {@code pg_read_all_stats},
 * another role's session shows null {@code backendStart}, {@code state}, times, client and backend
 * type, and the query {@code <insufficient privilege>}.
 *
 * @param client the client address, {@code local} for a Unix-domain socket, or null
 * @param age how long it has been in its state: running the query when active, idle when idle, else
 *     connected; null when hidden
 * @param own whether this is pgkill's own session
 * @param xminAge with --xmin-older-than: how many transactions old the horizon it holds back vacuum
 *     at is, the older of its backend_xmin and backend_xid; else null
 * @param horizon which of the two that is, {@code backend_xmin} or {@code backend_xid}; null when
 *     {@code xminAge} is
 * @param leaderPid of a parallel worker, the PID of the backend whose query it works for (from
 *     PostgreSQL 13, which shows leader_pid); else null
 * @param lockWaiting with --waiting-longer-than: how long it has waited for a lock; else null
 * @param lockWanted with --waiting-longer-than: the lock it waits for; else null
 * @param newestInGroup with --keep-newest: 1 for the newest session of its group, 2 for the next
 *     ...; else null
 * @param groupSessions with --keep-newest: how many sessions its group has; else null
 * @param waitEventType what kind of event it waits for, as the server spells it ({@code Lock},
 *     {@code Client}, {@code IO}); null when it waits for none or it is hidden
 * @param waitEvent which event of that kind ({@code relation}, {@code ClientRead}); null likewise
 * @param backendXid its own transaction ID, once it has written; else null
 * @param queryId the query's identifier (from PostgreSQL 14, when the server computes it); else
 *     null
 * @param clientPort the client's TCP port, -1 for a Unix-domain socket; null when hidden
 * @param clientHostname the client's host name, only when the server's log_hostname is on
 * @param capturedAt the server's time when the row was read (its {@code now()}), which every age
 *     above is measured from; null when not known
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
    Integer leaderPid,
    Duration lockWaiting,
    LockWanted lockWanted,
    Integer newestInGroup,
    Integer groupSessions,
    String waitEventType,
    String waitEvent,
    Long backendXid,
    Long queryId,
    Integer clientPort,
    String clientHostname,
    OffsetDateTime capturedAt) {

  public static final String CLIENT_BACKEND = "client backend";

  /**
   * A session with this PID, every other column null (and not pgkill's own) until named: name the
   * columns that are known, then {@link Builder#build()}.
   */
  public static Builder builder(int pid) {
    return new Builder(pid);
  }

  /** Names each column, so that a session read or made up for a test says which value is which. */
  public static final class Builder {
    private final int pid;
    private OffsetDateTime backendStart;
    private String user;
    private String database;
    private String application;
    private String client;
    private String backendType;
    private String state;
    private OffsetDateTime queryStart;
    private OffsetDateTime xactStart;
    private OffsetDateTime stateChange;
    private String query;
    private Duration age;
    private boolean own;
    private Long xminAge;
    private String horizon;
    private Integer leaderPid;
    private Duration lockWaiting;
    private LockWanted lockWanted;
    private Integer newestInGroup;
    private Integer groupSessions;
    private String waitEventType;
    private String waitEvent;
    private Long backendXid;
    private Long queryId;
    private Integer clientPort;
    private String clientHostname;
    private OffsetDateTime capturedAt;

    private Builder(int pid) {
      this.pid = pid;
    }

    public Builder backendStart(OffsetDateTime backendStart) {
      this.backendStart = backendStart;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder database(String database) {
      this.database = database;
      return this;
    }

    public Builder application(String application) {
      this.application = application;
      return this;
    }

    public Builder client(String client) {
      this.client = client;
      return this;
    }

    public Builder backendType(String backendType) {
      this.backendType = backendType;
      return this;
    }

    public Builder state(String state) {
      this.state = state;
      return this;
    }

    /** The three times pg_stat_activity shows: query_start, xact_start and state_change. */
    public Builder times(
        OffsetDateTime queryStart, OffsetDateTime xactStart, OffsetDateTime stateChange) {
      this.queryStart = queryStart;
      this.xactStart = xactStart;
      this.stateChange = stateChange;
      return this;
    }

    public Builder query(String query) {
      this.query = query;
      return this;
    }

    public Builder age(Duration age) {
      this.age = age;
      return this;
    }

    public Builder own(boolean own) {
      this.own = own;
      return this;
    }

    /** With --xmin-older-than: the horizon's age, and which column it is the age of. */
    public Builder xmin(Long xminAge, String horizon) {
      this.xminAge = xminAge;
      this.horizon = horizon;
      return this;
    }

    public Builder leaderPid(Integer leaderPid) {
      this.leaderPid = leaderPid;
      return this;
    }

    /** With --waiting-longer-than: how long it has waited for which lock. */
    public Builder lockWait(Duration lockWaiting, LockWanted lockWanted) {
      this.lockWaiting = lockWaiting;
      this.lockWanted = lockWanted;
      return this;
    }

    /** With --keep-newest: its place in its group, newest first, and the group's size. */
    public Builder group(Integer newestInGroup, Integer groupSessions) {
      this.newestInGroup = newestInGroup;
      this.groupSessions = groupSessions;
      return this;
    }

    /** What it waits for: wait_event_type and wait_event. */
    public Builder waitEvent(String type, String name) {
      this.waitEventType = type;
      this.waitEvent = name;
      return this;
    }

    public Builder backendXid(Long backendXid) {
      this.backendXid = backendXid;
      return this;
    }

    public Builder queryId(Long queryId) {
      this.queryId = queryId;
      return this;
    }

    /** client_port and client_hostname, which the client address alone does not say. */
    public Builder clientPort(Integer port, String hostname) {
      this.clientPort = port;
      this.clientHostname = hostname;
      return this;
    }

    public Builder capturedAt(OffsetDateTime capturedAt) {
      this.capturedAt = capturedAt;
      return this;
    }

    public Session build() {
      return new Session(
          pid,
          backendStart,
          user,
          database,
          application,
          client,
          backendType,
          state,
          queryStart,
          xactStart,
          stateChange,
          query,
          age,
          own,
          xminAge,
          horizon,
          leaderPid,
          lockWaiting,
          lockWanted,
          newestInGroup,
          groupSessions,
          waitEventType,
          waitEvent,
          backendXid,
          queryId,
          clientPort,
          clientHostname,
          capturedAt);
    }
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
