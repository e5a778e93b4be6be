package dev.pgkill.select;

import dev.pgkill.connect.ServerVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * The filters as one SQL predicate over {@code pg_stat_activity a}. Every value the user typed is a
 * bind parameter; only fixed text is ever concatenated.
 */
final class FilterSql {
  /** A bind parameter: a text, PID or query ID array, a text, a number of seconds, or a count. */
  record Param(Object value) {}

  /**
   * How many transactions old the horizon a session holds back vacuum at is: the older of its
   * snapshot's xmin and its own transaction ID. An idle-in-transaction writer has only the latter
   * (backend_xmin is null between statements), and it is the most common vacuum blocker.
   */
  static final String XMIN_AGE = "greatest(age(a.backend_xmin), age(a.backend_xid))";

  /** Which column {@link #XMIN_AGE} is the age of; on a tie its own transaction ID. */
  static final String HORIZON =
      "case when a.backend_xid is null and a.backend_xmin is null then null"
          + " when a.backend_xmin is null or age(a.backend_xid) >= age(a.backend_xmin)"
          + " then 'backend_xid' else 'backend_xmin' end";

  /** The predicates, ANDed. */
  private final List<String> and = new ArrayList<>();

  /** By predicate index: what a session failing it is told, {@code does not match --user app}. */
  private final Map<Integer, String> failures = new HashMap<>();

  private final List<Param> params = new ArrayList<>();

  FilterSql() {}

  /** Whether the session passes every filter; a hidden (NULL) column never passes. */
  static FilterSql matching(Filters filters) {
    return matching(filters, null);
  }

  /**
   * Whether the session passes every filter; {@code version} says how a lock wait is timed, and may
   * be null without --waiting-longer-than.
   */
  static FilterSql matching(Filters filters, ServerVersion version) {
    FilterSql sql = new FilterSql();
    sql.names(filters);
    sql.clients(filters.clients());
    sql.anyOf(
        option("--state", filters.states().stream().map(State::option).toList()),
        "a.state = any (?)",
        filters.states().stream().map(State::server).toList());
    filters
        .queryRegex()
        .ifPresent(
            regex ->
                sql.add(
                    "does not match --query " + regex + (filters.ignoreCase() ? " -i" : ""),
                    "a.backend_start is not null and a.query "
                        + (filters.ignoreCase() ? "~*" : "~")
                        + " ?",
                    regex));
    sql.ages(filters);
    filters
        .waitingLongerThan()
        .ifPresent(
            wait ->
                sql.olderThan(
                    "--waiting-longer-than",
                    LockWaitSql.waited(java.util.Objects.requireNonNull(version, "version")),
                    Optional.of(wait)));
    sql.moreOfTheView(filters);
    return sql;
  }

  /**
   * What else pg_stat_activity shows: wait events, query IDs, query text not wanted, host names.
   */
  private void moreOfTheView(Filters filters) {
    if (!filters.waitEvents().isEmpty()) {
      add(
          "does not match "
              + option(
                  "--wait-event", filters.waitEvents().stream().map(WaitEvent::toString).toList()),
          "array[lower(a.wait_event_type), lower(a.wait_event_type || ':' || a.wait_event)]"
              + " && ?::text[]",
          filters.waitEvents().stream().map(WaitEvent::key).toArray(String[]::new));
    }
    if (!filters.queryIds().isEmpty()) {
      add(
          "does not match "
              + option("--query-id", filters.queryIds().stream().map(String::valueOf).toList()),
          "a.query_id = any (?)",
          filters.queryIds().toArray(Long[]::new));
    }
    filters
        .notQueryRegex()
        .ifPresent(
            regex ->
                add(
                    "excluded by --not-query " + regex + (filters.ignoreCase() ? " -i" : ""),
                    "a.backend_start is not null and a.query "
                        + (filters.ignoreCase() ? "!~*" : "!~")
                        + " ?",
                    regex));
    anyOf(
        option("--client-hostname", filters.clientHostnames()),
        "a.client_hostname like any (?)",
        Globs.like(filters.clientHostnames()));
  }

  /** The roles, databases and applications asked for, and those excluded. */
  private void names(Filters filters) {
    anyOf(option("--user", filters.users()), "a.usename::text = any (?)", filters.users());
    anyOf(
        option("--database", filters.databases()),
        "a.datname::text = any (?)",
        filters.databases());
    anyOf(
        option("--application", filters.applications()),
        "a.application_name like any (?)",
        Globs.like(filters.applications()));
    noneOf(
        option("--exclude-user", filters.excludeUsers()),
        "a.usename::text = any (?)",
        filters.excludeUsers());
    noneOf(
        option("--exclude-database", filters.excludeDatabases()),
        "a.datname::text = any (?)",
        filters.excludeDatabases());
    noneOf(
        option("--exclude-application", filters.excludeApplications()),
        "a.application_name like any (?)",
        Globs.like(filters.excludeApplications()));
  }

  /** How long it has run, idled, been in its transaction, been connected; how old its xmin. */
  private void ages(Filters filters) {
    olderThan(
        "--running-longer-than",
        "a.state = 'active' and now() - a.query_start",
        filters.runningLongerThan());
    olderThan(
        "--idle-longer-than",
        "a.state in ('idle', 'idle in transaction', 'idle in transaction (aborted)')"
            + " and now() - a.state_change",
        filters.idleLongerThan());
    olderThan("--xact-longer-than", "now() - a.xact_start", filters.xactLongerThan());
    olderThan("--connected-longer-than", "now() - a.backend_start", filters.connectedLongerThan());
    filters
        .xminOlderThan()
        .ifPresent(n -> add("does not match --xmin-older-than " + n, XMIN_AGE + " > ?", n));
  }

  /** Only these PIDs: the roots of lock waits, found before the main query. */
  void onlyPids(java.util.Collection<Integer> pids) {
    add("does not match --blockers", "a.pid = any (?)", pids.toArray(Integer[]::new));
  }

  /**
   * A statement that makes the server read every value only it can check, a regular expression or
   * an address, whether or not any session is there to test them on: a mistake in one is a usage
   * error even when no row would have reached it. Null when there is nothing to check.
   */
  static FilterSql validation(Filters filters) {
    FilterSql sql = new FilterSql();
    filters
        .queryRegex()
        .ifPresent(regex -> sql.add("'' " + (filters.ignoreCase() ? "~*" : "~") + " ?", regex));
    filters.clients().stream()
        .filter(client -> !client.equals("local"))
        .forEach(client -> sql.add("?::inet is not null", client));
    return sql.params.isEmpty() ? null : sql;
  }

  /** As {@link #validation}, for the --not-query pattern, checked on its own to be named. */
  static FilterSql notQueryValidation(Filters filters) {
    FilterSql sql = new FilterSql();
    filters
        .notQueryRegex()
        .ifPresent(regex -> sql.add("'' " + (filters.ignoreCase() ? "~*" : "~") + " ?", regex));
    return sql.params.isEmpty() ? null : sql;
  }

  String sql() {
    String predicate = String.join(" and ", and);
    return predicate.isEmpty() ? "true" : "coalesce(" + predicate + ", false)";
  }

  /**
   * The number, from 1, of the first predicate a session fails, as one SQL expression with the same
   * bind parameters as {@link #sql()}, in the same order; null when it passes them all.
   */
  String firstFailed() {
    if (and.isEmpty()) {
      return "null::int";
    }
    StringBuilder sql = new StringBuilder("case");
    for (int i = 0; i < and.size(); i++) {
      sql.append(" when not coalesce(").append(and.get(i)).append(", false) then ").append(i + 1);
    }
    return sql.append(" end").toString();
  }

  /** What a session that fails predicate {@code n} (from 1) is told. */
  String failure(int n) {
    return failures.getOrDefault(n - 1, "does not match the filters");
  }

  List<Param> params() {
    return List.copyOf(params);
  }

  /** A predicate no session is told it failed. */
  void add(String predicate, Object value) {
    add(null, predicate, value);
  }

  /** A predicate without a bind parameter, that no session is told it failed. */
  void and(String predicate) {
    and.add(predicate);
  }

  private void add(String failure, String predicate, Object value) {
    if (failure != null) {
      failures.put(and.size(), failure);
    }
    and.add("(" + predicate + ")");
    params.add(new Param(value));
  }

  private void anyOf(String option, String predicate, List<String> values) {
    if (!values.isEmpty()) {
      add("does not match " + option, predicate, values.toArray(String[]::new));
    }
  }

  private void noneOf(String option, String predicate, List<String> values) {
    if (!values.isEmpty()) {
      add(
          "excluded by " + option,
          "not coalesce(" + predicate + ", false)",
          values.toArray(String[]::new));
    }
  }

  /** {@code --user app or --user bob}, as the user typed it. */
  private static String option(String name, List<String> values) {
    return values.stream().map(value -> name + " " + value).collect(Collectors.joining(" or "));
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
    failures.put(and.size(), "does not match " + option("--client", clients));
    and.add(or.toString());
  }

  private void olderThan(String option, String age, Optional<Duration> threshold) {
    threshold.ifPresent(
        t ->
            add(
                "does not match " + option + " " + Durations.format(t),
                age + " > make_interval(secs => ?)",
                t.toNanos() / 1e9));
  }
}
