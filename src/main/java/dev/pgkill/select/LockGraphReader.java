package dev.pgkill.select;

import static dev.pgkill.select.LockGraph.PREPARED_TRANSACTION;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.select.LockGraph.LockWait;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.text.Counted;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Reads the {@link LockGraph}: every session with a lock it has not been granted ({@code pg_locks
 * where not granted}, which no role is hidden from) and the sessions {@code pg_blocking_pids()}
 * says it waits for. That function takes every lock-manager partition lock: it is called for each
 * waiting session, in this one statement per pass, and never in a loop of statements. The server's
 * version comes from the pass, which read it once.
 */
public final class LockGraphReader {
  private static final String WAITS =
      """
      with waiting as (
        select l.pid, min({since}) as since
          from pg_locks l join pg_stat_activity a on a.pid = l.pid
         where not l.granted and l.pid is not null
         group by l.pid)
      select w.pid, a.usename, a.state, a.query, a.xact_start,
             extract(epoch from now() - w.since) as waited_seconds,
             pg_blocking_pids(w.pid) as blockers, {wanted} as wanted
        from waiting w join pg_stat_activity a on a.pid = w.pid
       order by w.pid""";

  /**
   * The prepared transactions holding a granted lock on an object one of these sessions waits for.
   * A prepared transaction's locks show no pid; they share its virtual transaction, which also
   * holds the lock on its own transaction ID, the one pg_prepared_xacts names.
   */
  private static final String PREPARED =
      """
      select p.gid, p.owner::text, p.database::text, array_agg(distinct w.pid order by w.pid) as blocks
        from pg_locks w
        join pg_locks h on h.pid is null and h.granted
             and h.locktype = w.locktype
             and h.database is not distinct from w.database
             and h.relation is not distinct from w.relation
             and h.page is not distinct from w.page
             and h.tuple is not distinct from w.tuple
             and h.virtualxid is not distinct from w.virtualxid
             and h.transactionid is not distinct from w.transactionid
             and h.classid is not distinct from w.classid
             and h.objid is not distinct from w.objid
             and h.objsubid is not distinct from w.objsubid
        join pg_locks x on x.pid is null and x.locktype = 'transactionid'
             and x.virtualtransaction = h.virtualtransaction
        join pg_prepared_xacts p on p.transaction = x.transactionid
       where not w.granted and w.pid = any (?)
       group by p.gid, p.owner, p.database
       order by p.gid""";

  private final Connection connection;
  private final ServerVersion version;
  private final Logger log;

  public LockGraphReader(Connection connection, ServerVersion version, Logger log) {
    this.connection = connection;
    this.version = version;
    this.log = log;
  }

  public LockGraph read() throws SQLException {
    List<LockWait> waits = waits();
    List<PreparedBlocker> prepared = preparedInTheWay(waits);
    LockGraph graph = new LockGraph(waits, prepared);
    log.info(
        "{} for a lock; roots: {}; standing for lock cycles: {}; prepared transactions in the way: {}",
        Counted.of(waits.size(), "session waits", "sessions wait"),
        graph.roots(),
        graph.cycleBreakers(),
        prepared.size());
    return graph;
  }

  /** Since when each session has waited, as well as this server can tell. */
  private String since() {
    if (version.hasLockWaitStart()) {
      log.info("lock waits timed by pg_locks.waitstart (PostgreSQL {})", version);
    } else {
      log.info(
          "lock waits timed by the waiting query's query_start: PostgreSQL {} has no"
              + " pg_locks.waitstart (14 and later), so a wait may look longer than it is",
          version);
    }
    return LockWaitSql.since(version);
  }

  private List<LockWait> waits() throws SQLException {
    String sql = WAITS.replace("{since}", since()).replace("{wanted}", LockWaitSql.WANTED);
    log.debug("{}", sql);
    List<LockWait> waits = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        waits.add(waitOf(row));
      }
    }
    return waits;
  }

  private static LockWait waitOf(ResultSet row) throws SQLException {
    Integer[] blockers = (Integer[]) row.getArray("blockers").getArray();
    Object seconds = row.getObject("waited_seconds");
    return new LockWait(
        row.getInt("pid"),
        row.getString("usename"),
        row.getString("state"),
        row.getString("query"),
        seconds == null
            ? Duration.ZERO
            : Duration.ofMillis(Math.round(((Number) seconds).doubleValue() * 1000)),
        List.of(blockers),
        row.getObject("xact_start", OffsetDateTime.class),
        LockWaitSql.read(row.getArray("wanted")));
  }

  /** The prepared transactions some of these sessions wait for; no query when none does. */
  private List<PreparedBlocker> preparedInTheWay(List<LockWait> waits) throws SQLException {
    List<Integer> waitingOnPrepared =
        waits.stream()
            .filter(w -> w.blockers().contains(PREPARED_TRANSACTION))
            .map(LockWait::pid)
            .toList();
    List<PreparedBlocker> prepared = new ArrayList<>();
    if (waitingOnPrepared.isEmpty()) {
      return prepared;
    }
    try (PreparedStatement statement = connection.prepareStatement(PREPARED)) {
      Array pids = connection.createArrayOf("int4", waitingOnPrepared.toArray(Integer[]::new));
      statement.setArray(1, pids);
      log.debug("{}\n  with {}", PREPARED, waitingOnPrepared);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          prepared.add(
              new PreparedBlocker(
                  row.getString("gid"),
                  row.getString("owner"),
                  row.getString("database"),
                  List.of((Integer[]) row.getArray("blocks").getArray())));
        }
      } finally {
        pids.free();
      }
    }
    return prepared;
  }
}
