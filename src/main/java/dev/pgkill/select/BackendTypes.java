package dev.pgkill.select;

/** The backend types a selection may choose, as SQL over {@code pg_stat_activity a}. */
final class BackendTypes {
  /**
   * The session's backend type. Without pg_read_all_stats the server hides another role's
   * backend_type, but it still shows every role the PIDs of walsenders: a hidden walsender is never
   * mistaken for a client backend.
   */
  static final String BACKEND_TYPE =
      "coalesce(a.backend_type, case when a.pid in (select w.pid from pg_stat_get_wal_senders() w)"
          + " then 'walsender' end)";

  private BackendTypes() {}

  /**
   * Which backend types a filter may choose: by default client backends only. A type hidden from
   * pgkill's role is unknown, never taken for a client backend (it may be a parallel worker); only
   * {@code any} takes it. But --newest and --oldest must see the sessions whose type is hidden too:
   * one of them may be the newest, and then none can be picked (nor signalled).
   */
  static FilterSql chosen(Filters filters) {
    FilterSql sql = new FilterSql();
    boolean picking = filters.pick() != Filters.Pick.ALL;
    if (filters.anyBackendType()) {
      sql.and(BACKEND_TYPE + " is distinct from 'parallel worker'");
    } else if (filters.backendTypes().isEmpty()) {
      sql.and(
          "("
              + BACKEND_TYPE
              + " = 'client backend'"
              + (picking
                  ? " or ("
                      + BACKEND_TYPE
                      + " is null and a.usename is not null"
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
   * The sessions a filter passes over only because pgkill's role cannot see their type: by default
   * those that could be client backends (they have a role and a database).
   */
  static String hidden(Filters filters) {
    return BACKEND_TYPE
        + " is null"
        + (filters.backendTypes().isEmpty()
            ? " and a.usename is not null and a.datname is not null"
            : "");
  }
}
