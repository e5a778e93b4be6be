package dev.pgkill.select;

import dev.pgkill.connect.ServerVersion;

/**
 * How a lock wait reads in SQL, over {@code pg_locks l} and the waiting session's {@code
 * pg_stat_activity a}: since when it has waited and what for. A backend waits for one lock at a
 * time, so it has at most one row that is not granted.
 */
final class LockWaitSql {
  /** A relation, qualified; one of another database by OID, as only that database can name it. */
  private static final String RELATION =
      "coalesce((select format('%I.%I', n.nspname, c.relname) from pg_class c"
          + " join pg_namespace n on n.oid = c.relnamespace where c.oid = l.relation"
          + " and l.database in (0, (select d.oid from pg_database d"
          + " where d.datname = current_database()))),"
          + " 'relation ' || l.relation || coalesce(' in database ' || (select"
          + " quote_ident(d.datname) from pg_database d where d.oid = l.database), ''))";

  /** What the lock is on, as a DBA would say it. */
  static final String TARGET =
      "case l.locktype when 'relation' then "
          + RELATION
          + " when 'extend' then 'extension of ' || "
          + RELATION
          + " when 'page' then 'page ' || l.page || ' of ' || "
          + RELATION
          + " when 'tuple' then 'tuple (' || l.page || ',' || l.tuple || ') of ' || "
          + RELATION
          + " when 'transactionid' then 'transactionid ' || l.transactionid"
          + " when 'virtualxid' then 'virtualxid ' || l.virtualxid"
          + " else l.locktype || ' ' || concat_ws(',', l.classid, l.objid, l.objsubid) end";

  /** The lock session {@code a} waits for, as text[] {mode, locktype, target}; null if none. */
  static final String WANTED =
      "(select array[l.mode, l.locktype, "
          + TARGET
          + "] from pg_locks l where l.pid = a.pid and not l.granted limit 1)";

  private LockWaitSql() {}

  /**
   * Since when the session has waited, as well as this server can tell: pg_locks.waitstart from 14
   * (null for a moment after the wait begins), before that the waiting query's start, which may be
   * earlier than the wait.
   */
  static String since(ServerVersion version) {
    return version.hasLockWaitStart()
        ? "coalesce(l.waitstart, now())"
        : "coalesce(a.query_start, now())";
  }

  /**
   * How long session {@code a} has waited for a lock, an interval; null when it waits for none.
   * Before 14 the time is the outer row's alone, which an aggregate in the subquery would count as
   * the outer query's own.
   */
  static String waited(ServerVersion version) {
    String waiting = "from pg_locks l where l.pid = a.pid and not l.granted";
    return version.hasLockWaitStart()
        ? "(select now() - min(" + since(version) + ") " + waiting + ")"
        : "case when exists (select 1 " + waiting + ") then now() - " + since(version) + " end";
  }

  /** The lock {@link #WANTED} read, or null. */
  static LockWanted read(java.sql.Array wanted) throws java.sql.SQLException {
    if (wanted == null) {
      return null;
    }
    String[] parts = (String[]) wanted.getArray();
    return new LockWanted(parts[0], parts[1], parts[2]);
  }
}
