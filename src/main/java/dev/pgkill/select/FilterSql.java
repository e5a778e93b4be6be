package dev.pgkill.select;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The filters as one SQL predicate over {@code pg_stat_activity a}. Every value the user typed is
 * a bind parameter; only fixed text is ever concatenated.
 */
final class FilterSql {
  /** A bind parameter: a text or PID array, a text, a number of seconds, or a count. */
  record Param(Object value) {}

  /**
   * The session's backend type. Without pg_read_all_stats the server hides another role's
   * backend_type, but it still shows every role the PIDs of walsenders: a hidden walsender is
   * never mistaken for a client backend.
   */
  static final String BACKEND_TYPE =
      "coalesce(a.backend_type, case when a.pid in (select w.pid from pg_stat_get_wal_senders() w)"
          + " then 'walsender' end)";

  private final StringJoiner and = new StringJoiner(" and ");
  private final List<Param> params = new ArrayList<>();

  private FilterSql() {}

  /** Whether the session passes every filter; a hidden (NULL) column never passes. */
  static FilterSql matching(Filters filters) {
    FilterSql sql = new FilterSql();
    sql.anyOf("a.usename::text = any (?)", filters.users());
    sql.anyOf("a.datname::text = any (?)", filters.databases());
    sql.anyOf("a.application_name like any (?)", globs(filters.applications()));
    sql.noneOf("a.usename::text = any (?)", filters.excludeUsers());
    sql.noneOf("a.datname::text = any (?)", filters.excludeDatabases());
    sql.noneOf("a.application_name like any (?)", globs(filters.excludeApplications()));
    sql.clients(filters.clients());
    sql.anyOf("a.state = any (?)", filters.states().stream().map(State::server).toList());
    filters
        .queryRegex()
        .ifPresent(
            regex ->
                sql.add(
                    "a.backend_start is not null and a.query " + (filters.ignoreCase() ? "~*" : "~")
                        + " ?",
                    regex));
    sql.olderThan(
        "a.state = 'active' and now() - a.query_start", filters.runningLongerThan());
    sql.olderThan(
        "a.state in ('idle', 'idle in transaction', 'idle in transaction (aborted)')"
            + " and now() - a.state_change",
        filters.idleLongerThan());
    sql.olderThan("now() - a.xact_start", filters.xactLongerThan());
    sql.olderThan("now() - a.backend_start", filters.connectedLongerThan());
    filters.xminOlderThan().ifPresent(n -> sql.add("age(a.backend_xmin) > ?", n));
    return sql;
  }

  /** Only these PIDs: the roots of lock waits, found before the main query. */
  void onlyPids(java.util.Collection<Integer> pids) {
    add("a.pid = any (?)", pids.toArray(Integer[]::new));
  }

  /**
   * Which backend types a filter may choose: by default client backends only. A type hidden from
   * pgkill's role is unknown, never taken for a client backend (it may be a parallel worker);
   * only {@code any} takes it. But --newest and --oldest must see the sessions whose type is
   * hidden too: one of them may be the newest, and then none can be picked (nor signalled).
   */
  static FilterSql backendTypes(Filters filters) {
    FilterSql sql = new FilterSql();
    boolean picking = filters.pick() != Filters.Pick.ALL;
    if (filters.anyBackendType()) {
      sql.and.add(BACKEND_TYPE + " is distinct from 'parallel worker'");
    } else if (filters.backendTypes().isEmpty()) {
      sql.and.add(
          "(" + BACKEND_TYPE + " = 'client backend'"
              + (picking
                  ? " or (" + BACKEND_TYPE + " is null and a.usename is not null"
                      + " and a.datname is not null)"
                  : "")
              + ")");
    } else {
      sql.add(
          BACKEND_TYPE + " = any (?)" + (picking ? " or " + BACKEND_TYPE + " is null" : ""),
          filters.backendTypes().toArray(String[]::new));
    }
    return sql;
  }

  /**
   * The sessions a filter passes over only because pgkill's role cannot see their type: by
   * default those that could be client backends (they have a role and a database).
   */
  static String hiddenType(Filters filters) {
    return BACKEND_TYPE + " is null"
        + (filters.backendTypes().isEmpty() ? " and a.usename is not null and a.datname is not null" : "");
  }

  /**
   * A statement that makes the server read every value only it can check, a regular expression
   * or an address, whether or not any session is there to test them on: a mistake in one is a
   * usage error even when no row would have reached it. Null when there is nothing to check.
   */
  static FilterSql validation(Filters filters) {
    FilterSql sql = new FilterSql();
    filters.queryRegex().ifPresent(regex -> sql.add("'' " + (filters.ignoreCase() ? "~*" : "~") + " ?", regex));
    filters.clients().stream()
        .filter(client -> !client.equals("local"))
        .forEach(client -> sql.add("?::inet is not null", client));
    return sql.params.isEmpty() ? null : sql;
  }

  String sql() {
    String predicate = and.toString();
    return predicate.isEmpty() ? "true" : "coalesce(" + predicate + ", false)";
  }

  List<Param> params() {
    return List.copyOf(params);
  }

  private void add(String predicate, Object value) {
    and.add("(" + predicate + ")");
    params.add(new Param(value));
  }

  private void anyOf(String predicate, List<String> values) {
    if (!values.isEmpty()) {
      add(predicate, values.toArray(String[]::new));
    }
  }

  private void noneOf(String predicate, List<String> values) {
    if (!values.isEmpty()) {
      add("not coalesce(" + predicate + ", false)", values.toArray(String[]::new));
    }
  }

  private void clients(List<String> clients) {
    if (clients.isEmpty()) {
      return;
    }
    StringJoiner or = new StringJoiner(" or ", "(", ")");
    for (String client : clients) {
      if (client.equals("local")) {
        or.add("a.client_port = -1");
      } else {
        or.add("a.client_addr <<= ?::inet");
        params.add(new Param(client));
      }
    }
    and.add(or.toString());
  }

  private void olderThan(String age, Optional<Duration> threshold) {
    threshold.ifPresent(
        t -> add(age + " > make_interval(secs => ?)", t.toNanos() / 1e9));
  }

  /** Shell-style globs as LIKE patterns: {@code *} and {@code ?} are wild, all else literal. */
  static List<String> globs(List<String> globs) {
    return globs.stream().map(FilterSql::like).toList();
  }

  static String like(String glob) {
    StringBuilder like = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        case '%', '_', '\\' -> like.append('\\').append(c);
        default -> like.append(c);
      }
    }
    return like.toString();
  }
}
