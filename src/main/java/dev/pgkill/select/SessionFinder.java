package dev.pgkill.select;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.select.Found.Mismatch;
import dev.pgkill.text.Counted;
import dev.pgkill.text.UsageError;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Finds the sessions a selection names, with one statement on {@code pg_stat_activity}, in
 * autocommit so the view is fresh rather than a transaction's snapshot.
 *
 * <p>Named PIDs come back whether or not they pass the filters, flagged, so that the report can say
 * why one was left alone. A filter alone never returns pgkill's own session, and never another
 * backend type than asked for.
 */
public final class SessionFinder {
  private static final String COLUMNS =
      """
      select a.pid, a.backend_start, a.usename, a.datname, a.application_name,
             case when a.client_port = -1 then 'local' else host(a.client_addr) end as client,
             {backend_type} as backend_type, a.state, a.query_start, a.xact_start, a.state_change,
             a.query,
             extract(epoch from now() - case when a.state = 'active' then a.query_start
                                             when a.state like 'idle%' then a.state_change
                                             else a.backend_start end) as age_seconds,
             a.pid = pg_backend_pid() as own,
             {xmin_age} as xmin_age, {horizon} as horizon,
             {leader_pid} as leader_pid,
             a.wait_event_type, a.wait_event, a.backend_xid::text::bigint as backend_xid,
             {query_id} as query_id, a.client_port, a.client_hostname,
             {failed} as failed_filter,
             {lock_waiting} as lock_waiting_seconds, {lock_wanted} as lock_wanted,
             {newest_in_group} as newest_in_group, {group_sessions} as group_sessions,
             {group_visible} as group_visible, now() as captured_at
        from pg_stat_activity a
      """;

  /**
   * A snapshot as pg_stat_activity: the recorded session lines under the view's column names and
   * types, and the time they were captured at in place of the server's clock. Binds the capture
   * time, then the rows.
   */
  private static final String SNAPSHOT =
      """
      with captured(at) as (select cast(? as timestamptz)),
      rehearsed as (
        select r.pid, r.backend_start, r."user" as usename, r.database as datname,
               r.application as application_name,
               case when r.client = 'local' then null else r.client::inet end as client_addr,
               r.client_hostname, r.client_port, r.backend_type, r.state, r.query_start,
               r.xact_start, r.state_change, r.wait_event_type, r.wait_event, r.backend_xid,
               r.query, r.query_id, null::int as leader_pid
          from jsonb_to_recordset(cast(? as jsonb)) as r(
                 pid int, backend_start timestamptz, "user" text, database text,
                 application text, client text, client_hostname text, client_port int,
                 backend_type text, state text, query_start timestamptz, xact_start timestamptz,
                 state_change timestamptz, wait_event_type text, wait_event text,
                 backend_xid bigint, query text, query_id bigint))
      """;

  /**
   * What reads the live server's state, or its clock: none of it may be left in a rehearsal's
   * statement, which must choose from the snapshot alone.
   */
  private static final List<String> LIVE =
      List.of(
          "pg_stat_activity",
          "pg_locks",
          "pg_blocking_pids",
          "pg_stat_get",
          "now()",
          "clock_timestamp",
          "statement_timestamp",
          "transaction_timestamp",
          "pg_backend_pid");

  /** SQLSTATE of a bad --query pattern, found by the server. */
  private static final String INVALID_REGULAR_EXPRESSION = "2201B";

  /** SQLSTATE of a bad --client address, found by the server. */
  private static final String INVALID_TEXT_REPRESENTATION = "22P02";

  private final Connection connection;

  /** The server's version, or null to ask the server when finding. */
  private final ServerVersion version;

  private final Logger log;

  public SessionFinder(Connection connection, Logger log) {
    this(connection, null, log);
  }

  public SessionFinder(Connection connection, ServerVersion version, Logger log) {
    this.connection = connection;
    this.version = version;
    this.log = log;
  }

  public Found find(Selection selection) throws SQLException {
    Filters filters = selection.filters();
    ServerVersion server = version == null ? ServerVersion.of(connection) : version;
    FilterSql matching = FilterSql.matching(filters, server);
    LockGraph locks = LockGraph.NONE;
    if (filters.blockers()) {
      locks = new LockGraphReader(connection, server, log).read();
      matching.onlyPids(locks.rootsBlockingLongerThan(filters.blockingLongerThan()));
    }
    List<FilterSql.Param> params = new ArrayList<>();
    String sql = statement(selection, matching, server, params);
    validate(filters);
    Rows rows = read(sql, params, matching, filters.connectionCap());
    log.info(
        "{} chosen, {} named but filtered out",
        Counted.of(rows.sessions().size(), "session"),
        rows.unmatched().size());
    List<Session> chosen =
        NewestOrOldest.pick(
            rows.sessions(),
            filters.pick(),
            selection.byFilter(),
            rows.unmatched(),
            rows.mismatches());
    return new Found(chosen, rows.unmatched(), locks, rows.mismatches());
  }

  /**
   * What the selection would have chosen from {@code snapshot}: the one selection statement, read
   * from the snapshot's sessions as if they were pg_stat_activity at its capture time, on this
   * server, so that patterns, globs and durations mean what they mean live. Nothing live is read:
   * not the lock graph, not the sessions, not the clock.
   *
   * @throws UsageError when the selection needs live state that no snapshot records
   */
  public Found rehearse(Selection selection, Snapshot snapshot) throws SQLException {
    Filters filters = selection.filters();
    if (!selection.byFilter()) {
      throw new UsageError(
          "--rehearse chooses from a snapshot by selection options: PIDs name live backends");
    }
    filters
        .liveOnly()
        .ifPresent(
            option -> {
              throw new UsageError(
                  option
                      + " cannot be rehearsed: it needs what the live server knows and a"
                      + " snapshot does not record");
            });
    ServerVersion server = version == null ? ServerVersion.of(connection) : version;
    FilterSql matching = FilterSql.matching(filters, server);
    List<FilterSql.Param> params = new ArrayList<>();
    params.add(new FilterSql.Param(snapshot.capturedAtText()));
    params.add(new FilterSql.Param(snapshot.rows()));
    String sql = SNAPSHOT + onSnapshot(statement(selection, matching, server, params));
    validate(FilterSql.validation(filters), "--query");
    validate(FilterSql.notQueryValidation(filters), "--not-query");
    WaitEventNames.check(connection, server, filters.waitEvents(), log);
    Rows rows = read(sql, params, matching, filters.connectionCap());
    log.info(
        "{} chosen from the snapshot captured at {}",
        Counted.of(rows.sessions().size(), "session"),
        snapshot.capturedAtText());
    return new Found(
        NewestOrOldest.pick(
            rows.sessions(), filters.pick(), true, rows.unmatched(), rows.mismatches()),
        rows.unmatched(),
        LockGraph.NONE,
        rows.mismatches());
  }

  /** The selection statement, made to read the snapshot {@link #SNAPSHOT} defines. */
  private static String onSnapshot(String statement) {
    String sql =
        statement
            .replace("from pg_stat_activity a", "from rehearsed a")
            .replace("now()", "(select c.at from captured c)")
            .replace("pg_backend_pid()", "0")
            // No session of a snapshot is a live walsender whose hidden type this would tell.
            .replace("pg_stat_get_wal_senders() w", "(select null::int as pid) w");
    for (String live : LIVE) {
      if (sql.contains(live)) {
        // A selection option added later that reads live state must be refused, never rehearsed.
        throw new IllegalStateException("a rehearsal would read the live " + live + ": " + sql);
      }
    }
    return sql;
  }

  /** The statement for the selection; puts in {@code params} the values it binds, in order. */
  private static String statement(
      Selection selection, FilterSql matching, ServerVersion server, List<FilterSql.Param> params) {
    Filters filters = selection.filters();
    String columns = columns(filters, server);
    FilterSql types = BackendTypes.chosen(filters);
    Optional<ConnectionCap> cap = filters.connectionCap();
    if (cap.isPresent()) {
      return capped(selection, matching, types, cap.get(), columns, params);
    }
    String sql;
    String noGroup =
        columns
            .replace("{newest_in_group}", "null::int")
            .replace("{group_sessions}", "null::int")
            .replace("{group_visible}", "true");
    if (selection.byFilter()) {
      sql =
          noGroup.replace("{failed}", "null::int")
              + " where "
              + matching.sql()
              + " and "
              + types.sql()
              + " and a.pid <> pg_backend_pid()";
      params.addAll(matching.params());
      params.addAll(types.params());
    } else {
      // Which filter a named PID fails, the first in order, so the report can say.
      sql = noGroup.replace("{failed}", matching.firstFailed()) + " where a.pid = any (?)";
      params.addAll(matching.params());
      params.add(pids(selection));
    }
    return sql + " order by a.pid";
  }

  /**
   * With --keep-newest: each session's place in its group, newest first, counted over the sessions
   * the filters choose, by a window over them. A group where one of them hides its backend_start
   * (only --backend-type any lets such a session in) cannot be ordered: none of it is chosen. Named
   * PIDs come back whatever their place, which the reader then checks, so that a session looked up
   * again before it is signalled is still one too many.
   */
  private static String capped(
      Selection selection,
      FilterSql matching,
      FilterSql types,
      ConnectionCap cap,
      String columns,
      List<FilterSql.Param> params) {
    String group = "partition by " + cap.per().key();
    String newest = group + " order by a.backend_start desc, a.pid desc";
    if (selection.byFilter()) {
      String inner =
          columns
                  .replace("{failed}", "null::int")
                  .replace("{newest_in_group}", "row_number() over (" + newest + ")")
                  .replace("{group_sessions}", "count(*) over (" + group + ")")
                  .replace(
                      "{group_visible}",
                      "bool_and(a.backend_start is not null) over (" + group + ")")
              + " where "
              + matching.sql()
              + " and "
              + types.sql()
              + " and a.pid <> pg_backend_pid()";
      params.addAll(matching.params());
      params.addAll(types.params());
      params.add(new FilterSql.Param((long) cap.keepNewest()));
      return "select * from ("
          + inner
          + ") s where s.group_visible and s.newest_in_group > ? order by s.pid";
    }
    String passes =
        "(" + matching.sql() + " and " + types.sql() + " and a.pid <> pg_backend_pid())";
    List<FilterSql.Param> passing = new ArrayList<>(matching.params());
    passing.addAll(types.params());
    String inner =
        columns
            .replace("{failed}", matching.firstFailed())
            .replace(
                "{newest_in_group}",
                "case when "
                    + passes
                    + " then count(*) filter (where "
                    + passes
                    + ") over ("
                    + newest
                    + " rows between unbounded preceding and current row) end")
            .replace(
                "{group_sessions}", "count(*) filter (where " + passes + ") over (" + group + ")")
            .replace(
                "{group_visible}",
                "coalesce(bool_and(a.backend_start is not null) filter (where "
                    + passes
                    + ") over ("
                    + group
                    + "), true)");
    params.addAll(matching.params());
    for (int i = 0; i < 4; i++) {
      params.addAll(passing);
    }
    params.add(pids(selection));
    return "select * from (" + inner + ") s where s.pid = any (?) order by s.pid";
  }

  private static FilterSql.Param pids(Selection selection) {
    return new FilterSql.Param(
        selection.targets().stream().map(Target::pid).toArray(Integer[]::new));
  }

  private static String columns(Filters filters, ServerVersion server) {
    boolean waits = filters.waitingLongerThan().isPresent();
    return COLUMNS
        .replace("{backend_type}", BackendTypes.BACKEND_TYPE)
        .replace(
            "{xmin_age}",
            filters.xminOlderThan().isPresent() ? FilterSql.XMIN_AGE + "::bigint" : "null::bigint")
        .replace(
            "{horizon}", filters.xminOlderThan().isPresent() ? FilterSql.HORIZON : "null::text")
        .replace(
            "{leader_pid}",
            server.hasLeaderPid()
                ? "case when a.backend_type = 'parallel worker' then a.leader_pid end"
                : "null::int")
        .replace(
            "{lock_waiting}",
            waits ? "extract(epoch from " + LockWaitSql.waited(server) + ")" : "null::numeric")
        .replace("{lock_wanted}", waits ? LockWaitSql.WANTED : "null::text[]")
        .replace("{query_id}", server.hasQueryId() ? "a.query_id" : "null::bigint");
  }

  /** The rows found: those that pass the filters, and the named PIDs that fail one. */
  private record Rows(
      List<Session> sessions, Set<Integer> unmatched, Map<Integer, Mismatch> mismatches) {}

  private Rows read(
      String sql, List<FilterSql.Param> params, FilterSql matching, Optional<ConnectionCap> cap)
      throws SQLException {
    Rows rows = new Rows(new ArrayList<>(), new HashSet<>(), new HashMap<>());
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      List<Array> arrays = BindParameters.bind(connection, statement, params);
      log.debug("{}\n  with {}", sql, BindParameters.shown(params));
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          Session session = SessionRow.read(row);
          int failed = row.getInt("failed_filter");
          String why = row.wasNull() ? kept(row, session, cap) : matching.failure(failed);
          if (why == null) {
            rows.sessions().add(session);
          } else {
            rows.unmatched().add(session.pid());
            rows.mismatches().put(session.pid(), new Mismatch(session, why));
          }
        }
      } finally {
        for (Array array : arrays) {
          array.free();
        }
      }
    } catch (SQLException e) {
      throw usageErrorIfTheInputWasBad(e);
    }
    return rows;
  }

  /**
   * Why a named session that passes the filters is not one too many of its group; null if it is.
   */
  private static String kept(ResultSet row, Session session, Optional<ConnectionCap> cap)
      throws SQLException {
    if (cap.isEmpty()) {
      return null;
    }
    if (!row.getBoolean("group_visible")) {
      return "not chosen: "
          + cap.get().option()
          + " cannot tell which sessions of its group are the newest, some backend_start is hidden";
    }
    if (session.newestInGroup() != null && session.newestInGroup() <= cap.get().keepNewest()) {
      return "not chosen: one of the newest "
          + cap.get().keepNewest()
          + " of its "
          + cap.get().per().word()
          + " ("
          + cap.get().option()
          + ")";
    }
    return null;
  }

  private void validate(Filters filters) throws SQLException {
    validate(FilterSql.validation(filters), "--query");
    validate(FilterSql.notQueryValidation(filters), "--not-query");
    if (filters.queryIds().isEmpty() && filters.waitEvents().isEmpty()) {
      return;
    }
    ServerVersion server = version == null ? ServerVersion.of(connection) : version;
    if (!filters.queryIds().isEmpty()) {
      QueryIds.check(connection, server, log);
    }
    WaitEventNames.check(connection, server, filters.waitEvents(), log);
  }

  /** Runs one validation; a bad regular expression in it is named as {@code regexOption}'s. */
  private void validate(FilterSql validation, String regexOption) throws SQLException {
    if (validation == null) {
      return;
    }
    String sql = "select " + validation.sql();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      List<Array> arrays = BindParameters.bind(connection, statement, validation.params());
      log.debug("{}\n  with {}", sql, BindParameters.shown(validation.params()));
      statement.executeQuery().close();
      arrays.forEach(BindParameters::free);
    } catch (SQLException e) {
      throw usageErrorIfTheInputWasBad(e, regexOption);
    }
  }

  private static SQLException usageErrorIfTheInputWasBad(SQLException e) {
    return usageErrorIfTheInputWasBad(e, "--query");
  }

  private static SQLException usageErrorIfTheInputWasBad(SQLException e, String regexOption) {
    String message = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^ERROR: ", "");
    if (INVALID_REGULAR_EXPRESSION.equals(e.getSQLState())) {
      throw new UsageError("invalid " + regexOption + " regular expression: " + message);
    }
    if (INVALID_TEXT_REPRESENTATION.equals(e.getSQLState())) {
      throw new UsageError("invalid --client address: " + message);
    }
    return e;
  }
}
