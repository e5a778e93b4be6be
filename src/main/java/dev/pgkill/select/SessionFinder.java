package dev.pgkill.select;

import dev.pgkill.text.UsageError;
import dev.pgkill.connect.ServerVersion;
import dev.pgkill.select.Filters.Pick;
import dev.pgkill.select.Found.Mismatch;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Finds the sessions a selection names, with one statement on {@code pg_stat_activity}, in
 * autocommit so the view is fresh rather than a transaction's snapshot.
 *
 * <p>Named PIDs come back whether or not they pass the filters, flagged, so that the report can
 * say why one was left alone. A filter alone never returns pgkill's own session, and never
 * another backend type than asked for.
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
             {failed} as failed_filter
        from pg_stat_activity a
      """;

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
    FilterSql matching = FilterSql.matching(filters);
    LockGraph locks = LockGraph.NONE;
    if (filters.blockers()) {
      locks =
          new LockGraphReader(
                  connection, version == null ? ServerVersion.of(connection) : version, log)
              .read();
      matching.onlyPids(locks.rootsBlockingLongerThan(filters.blockingLongerThan()));
    }
    List<FilterSql.Param> params = new ArrayList<>(matching.params());
    String columns =
        COLUMNS
            .replace("{backend_type}", FilterSql.BACKEND_TYPE)
            .replace(
                "{xmin_age}",
                filters.xminOlderThan().isPresent() ? FilterSql.XMIN_AGE + "::bigint" : "null::bigint")
            .replace(
                "{horizon}", filters.xminOlderThan().isPresent() ? FilterSql.HORIZON : "null::text")
            .replace(
                "{leader_pid}",
                (version == null ? ServerVersion.of(connection) : version).hasLeaderPid()
                    ? "case when a.backend_type = 'parallel worker' then a.leader_pid end"
                    : "null::int");
    String sql;
    if (selection.byFilter()) {
      FilterSql types = FilterSql.backendTypes(filters);
      sql = columns.replace("{failed}", "null::int")
          + " where " + matching.sql() + " and " + types.sql() + " and a.pid <> pg_backend_pid()";
      params.addAll(types.params());
    } else {
      // Which filter a named PID fails, the first in order, so the report can say.
      sql = columns.replace("{failed}", matching.firstFailed()) + " where a.pid = any (?)";
      params.add(new FilterSql.Param(selection.targets().stream().map(Target::pid).toArray(Integer[]::new)));
    }
    sql += " order by a.pid";
    validate(filters);
    List<Session> sessions = new ArrayList<>();
    Set<Integer> unmatched = new HashSet<>();
    Map<Integer, Mismatch> mismatches = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      List<Array> arrays = bind(connection, statement, params);
      log.debug("{}\n  with {}", sql, shown(params));
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          Session session = session(row);
          int failed = row.getInt("failed_filter");
          if (row.wasNull()) {
            sessions.add(session);
          } else {
            unmatched.add(session.pid());
            mismatches.put(session.pid(), new Mismatch(session, matching.failure(failed)));
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
    log.info("{} chosen, {} named but filtered out",
        sessions.size() == 1 ? "1 session" : sessions.size() + " sessions", unmatched.size());
    return new Found(
        pick(sessions, filters.pick(), unmatched, mismatches), unmatched, locks, mismatches);
  }

  private void validate(Filters filters) throws SQLException {
    FilterSql validation = FilterSql.validation(filters);
    if (validation == null) {
      return;
    }
    String sql = "select " + validation.sql();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      List<Array> arrays = bind(connection, statement, validation.params());
      log.debug("{}\n  with {}", sql, shown(validation.params()));
      statement.executeQuery().close();
      arrays.forEach(SessionFinder::free);
    } catch (SQLException e) {
      throw usageErrorIfTheInputWasBad(e);
    }
  }

  private static void free(Array array) {
    try {
      array.free();
    } catch (SQLException e) {
      // Only driver memory: nothing to tell the user.
    }
  }

  static List<Array> bind(
      Connection connection, PreparedStatement statement, List<FilterSql.Param> params)
      throws SQLException {
    List<Array> arrays = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Object value = params.get(i).value();
      if (value instanceof String[] texts) {
        Array array = connection.createArrayOf("text", texts);
        arrays.add(array);
        statement.setArray(i + 1, array);
      } else if (value instanceof Integer[] pids) {
        Array array = connection.createArrayOf("int4", pids);
        arrays.add(array);
        statement.setArray(i + 1, array);
      } else if (value instanceof Long count) {
        statement.setLong(i + 1, count);
      } else if (value instanceof Double seconds) {
        statement.setDouble(i + 1, seconds);
      } else {
        statement.setString(i + 1, (String) value);
      }
    }
    return arrays;
  }

  static String shown(List<FilterSql.Param> params) {
    List<String> shown = new ArrayList<>();
    for (FilterSql.Param param : params) {
      Object value = param.value();
      if (value instanceof Object[] array) {
        shown.add(array.length <= 20 ? List.of(array).toString() : array.length + " values");
      } else {
        shown.add(String.valueOf(value));
      }
    }
    return shown.toString();
  }

  /**
   * With --newest or --oldest, the others are filtered out like any other non-match. If some
   * candidate's backend_start is hidden, which one is newest cannot be known: the hidden ones are
   * kept, to be reported as unidentifiable, and nothing is picked.
   */
  private static List<Session> pick(
      List<Session> sessions,
      Pick pick,
      Set<Integer> unmatched,
      Map<Integer, Mismatch> mismatches) {
    if (pick == Pick.ALL || sessions.size() <= 1) {
      return sessions;
    }
    String option = pick == Pick.NEWEST ? "--newest" : "--oldest";
    if (sessions.stream().anyMatch(s -> !s.identifiable())) {
      sessions.stream().filter(Session::identifiable).forEach(s -> {
        unmatched.add(s.pid());
        mismatches.put(s.pid(), new Mismatch(s, "not chosen: " + option
            + " cannot tell which one, some matching sessions' backend_start is hidden"));
      });
      return sessions.stream().filter(s -> !s.identifiable()).toList();
    }
    Comparator<Session> byStart =
        Comparator.comparing(Session::backendStart);
    Session chosen =
        pick == Pick.NEWEST
            ? sessions.stream().max(byStart).orElseThrow()
            : sessions.stream().min(byStart).orElseThrow();
    sessions.stream().filter(s -> s != chosen).forEach(s -> {
      unmatched.add(s.pid());
      mismatches.put(s.pid(), new Mismatch(s, "not chosen: " + option + " chose " + chosen.pid()));
    });
    return List.of(chosen);
  }

  private static SQLException usageErrorIfTheInputWasBad(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^ERROR: ", "");
    if (INVALID_REGULAR_EXPRESSION.equals(e.getSQLState())) {
      throw new UsageError("invalid --query regular expression: " + message);
    }
    if (INVALID_TEXT_REPRESENTATION.equals(e.getSQLState())) {
      throw new UsageError("invalid --client address: " + message);
    }
    return e;
  }

  private static Duration age(Object seconds) {
    return seconds == null
        ? null
        : Duration.ofNanos(Math.round(((Number) seconds).doubleValue() * 1e9));
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
        age(row.getObject("age_seconds")),
        row.getBoolean("own"),
        row.getObject("xmin_age") == null ? null : row.getLong("xmin_age"),
        row.getString("horizon"),
        (Integer) row.getObject("leader_pid"));
  }
}
