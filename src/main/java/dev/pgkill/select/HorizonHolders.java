package dev.pgkill.select;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * With --xmin-older-than, what else holds vacuum's horizon back that no signal can move: prepared
 * transactions and replication slots older than the threshold; with --prepared-older-than, the
 * prepared transactions prepared longer ago than that. They have no session to signal; pgkill names
 * them with what a DBA would run, and never signals anything for them. Both views are readable by
 * every role.
 *
 * @param prepared prepared transactions whose transaction is older than the threshold, or that were
 *     prepared longer ago than the other
 * @param slots replication slots whose xmin or catalog_xmin is older than the threshold
 */
public record HorizonHolders(List<PreparedHolder> prepared, List<SlotHolder> slots) {
  public static final HorizonHolders NONE = new HorizonHolders(List.of(), List.of());

  /** The prepared transactions {where} chooses, one predicate or two ORed. */
  private static final String PREPARED =
      """
      select p.gid, p.owner::text, p.database::text, age(p.transaction)::bigint as xmin_age,
             extract(epoch from now() - p.prepared) as age_seconds
        from pg_prepared_xacts p
       where {where}
       order by age(p.transaction) desc, p.gid""";

  private static final String XMIN_OLDER = "age(p.transaction) > ?";

  private static final String PREPARED_LONGER_AGO = "now() - p.prepared > make_interval(secs => ?)";

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

  /**
   * A prepared transaction: only {@code ROLLBACK PREPARED} (or COMMIT) ends it.
   *
   * @param age how long ago it was prepared
   */
  public record PreparedHolder(
      String gid, String owner, String database, long xminAge, Duration age) {
    public PreparedHolder(String gid, String owner, String database, long xminAge) {
      this(gid, owner, database, xminAge, null);
    }

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
    return read(connection, Optional.of(olderThan), Optional.empty(), log);
  }

  /**
   * The prepared transactions older than either threshold, and with {@code xminOlderThan} the
   * replication slots; none when neither is given.
   */
  public static HorizonHolders read(
      Connection connection,
      Optional<Long> xminOlderThan,
      Optional<Duration> preparedOlderThan,
      Logger log)
      throws SQLException {
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    xminOlderThan.ifPresent(
        n -> {
          where.add(XMIN_OLDER);
          params.add(n);
        });
    preparedOlderThan.ifPresent(
        age -> {
          where.add(PREPARED_LONGER_AGO);
          params.add(age.toNanos() / 1e9);
        });
    if (where.isEmpty()) {
      return NONE;
    }
    List<PreparedHolder> prepared =
        rows(
            connection,
            PREPARED.replace("{where}", String.join(" or ", where)),
            params,
            log,
            row ->
                new PreparedHolder(
                    row.getString("gid"),
                    row.getString("owner"),
                    row.getString("database"),
                    row.getLong("xmin_age"),
                    Duration.ofMillis(Math.round(row.getDouble("age_seconds") * 1000))));
    List<SlotHolder> slots = new ArrayList<>();
    if (xminOlderThan.isPresent()) {
      slots =
          rows(
              connection,
              SLOTS,
              List.of(xminOlderThan.get()),
              log,
              row ->
                  new SlotHolder(
                      row.getString("slot_name"),
                      row.getString("slot_type"),
                      row.getString("database"),
                      (Integer) row.getObject("active_pid"),
                      row.getLong("xmin_age"),
                      row.getString("horizon")));
    }
    log.info(
        "older than {} transactions or prepared longer ago than {}, with no session to signal: {}"
            + " prepared transactions, {} replication slots",
        xminOlderThan.map(String::valueOf).orElse("-"),
        preparedOlderThan.map(Durations::format).orElse("-"),
        prepared.size(),
        slots.size());
    return new HorizonHolders(prepared, slots);
  }

  private interface Row<T> {
    T of(ResultSet row) throws SQLException;
  }

  /** Every row of a query that takes these numbers, a count or seconds, as its parameters. */
  private static <T> List<T> rows(
      Connection connection, String sql, List<Object> params, Logger log, Row<T> holder)
      throws SQLException {
    List<T> holders = new ArrayList<>();
    log.debug("{}\n  with {}", sql, params);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i) instanceof Long count) {
          statement.setLong(i + 1, count);
        } else {
          statement.setDouble(i + 1, (Double) params.get(i));
        }
      }
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          holders.add(holder.of(row));
        }
      }
    }
    return holders;
  }
}
