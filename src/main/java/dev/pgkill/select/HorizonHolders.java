package dev.pgkill.select;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * With --xmin-older-than, what else holds vacuum's horizon back that no signal can move: prepared
 * transactions and replication slots older than the threshold. They have no session to signal;
 * pgkill names them with what a DBA would run, and never signals anything for them. Both views are
 * readable by every role.
 *
 * @param prepared prepared transactions whose transaction is older than the threshold
 * @param slots replication slots whose xmin or catalog_xmin is older than the threshold
 */
public record HorizonHolders(List<PreparedHolder> prepared, List<SlotHolder> slots) {
  public static final HorizonHolders NONE = new HorizonHolders(List.of(), List.of());

  private static final String PREPARED =
      """
      select p.gid, p.owner::text, p.database::text, age(p.transaction)::bigint as xmin_age
        from pg_prepared_xacts p
       where age(p.transaction) > ?
       order by age(p.transaction) desc, p.gid""";

  /**
   * A physical slot gets an xmin from a standby's hot_standby_feedback; a logical one a
   * catalog_xmin.
   */
  private static final String SLOTS =
      """
      select s.slot_name::text, s.slot_type, s.database::text, s.active_pid,
             greatest(age(s.xmin), age(s.catalog_xmin))::bigint as xmin_age,
             case when s.xmin is null or age(s.catalog_xmin) > age(s.xmin)
                  then 'catalog_xmin' else 'xmin' end as horizon
        from pg_replication_slots s
       where greatest(age(s.xmin), age(s.catalog_xmin)) > ?
       order by 5 desc, 1""";

  public HorizonHolders {
    prepared = List.copyOf(prepared);
    slots = List.copyOf(slots);
  }

  /** A prepared transaction: only {@code ROLLBACK PREPARED} (or COMMIT) ends it. */
  public record PreparedHolder(String gid, String owner, String database, long xminAge) {
    /** The column of pg_prepared_xacts the age is of. */
    public String horizon() {
      return "transaction";
    }

    /**
     * The same hint as for a prepared transaction in the way of --blockers, quoted the same way.
     */
    public String hint() {
      return new LockGraph.PreparedBlocker(gid, owner, database, List.of()).hint();
    }
  }

  /**
   * A replication slot: it keeps its horizon until its consumer (a standby, a subscriber) moves it
   * on, or it is dropped.
   *
   * @param type {@code physical} or {@code logical}
   * @param activePid the walsender using it, or null; ending that moves nothing
   * @param horizon {@code xmin} or {@code catalog_xmin}, whichever is older
   */
  public record SlotHolder(
      String name, String type, String database, Integer activePid, long xminAge, String horizon) {
    public String hint() {
      return "SELECT pg_drop_replication_slot('" + name.replace("'", "''") + "')";
    }
  }

  public boolean isEmpty() {
    return prepared.isEmpty() && slots.isEmpty();
  }

  public static HorizonHolders read(Connection connection, long olderThan, Logger log)
      throws SQLException {
    List<PreparedHolder> prepared =
        rows(
            connection,
            PREPARED,
            olderThan,
            log,
            row ->
                new PreparedHolder(
                    row.getString("gid"),
                    row.getString("owner"),
                    row.getString("database"),
                    row.getLong("xmin_age")));
    List<SlotHolder> slots =
        rows(
            connection,
            SLOTS,
            olderThan,
            log,
            row ->
                new SlotHolder(
                    row.getString("slot_name"),
                    row.getString("slot_type"),
                    row.getString("database"),
                    (Integer) row.getObject("active_pid"),
                    row.getLong("xmin_age"),
                    row.getString("horizon")));
    log.info(
        "older than {} transactions and no session to signal: {} prepared transactions, {}"
            + " replication slots",
        olderThan,
        prepared.size(),
        slots.size());
    return new HorizonHolders(prepared, slots);
  }

  private interface Row<T> {
    T of(ResultSet row) throws SQLException;
  }

  /** Every row of a query that takes the age as its one parameter. */
  private static <T> List<T> rows(
      Connection connection, String sql, long olderThan, Logger log, Row<T> holder)
      throws SQLException {
    List<T> holders = new ArrayList<>();
    log.debug("{}\n  with [{}]", sql, olderThan);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, olderThan);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          holders.add(holder.of(row));
        }
      }
    }
    return holders;
  }
}
