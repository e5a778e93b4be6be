package dev.pgkill.select;

import dev.pgkill.connect.ServerVersion;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;

/**
 * Who waits for whom on a lock, read once per run: every session with a lock it has not been
 * granted ({@code pg_locks where not granted}, which no role is hidden from) and the sessions
 * {@code pg_blocking_pids()} says it waits for, hard or soft (queued behind). That function takes
 * every lock-manager partition lock: it is called for each waiting session, in this one statement
 * per run, and never in a loop of statements.
 *
 * <p>A root blocks others and waits for no one: ending it is what lets the queue move. PID 0 among
 * the blockers is a prepared transaction, which no signal can end; it is named by its gid.
 *
 * <p>Sessions waiting for each other (a deadlock the server's check has not broken yet, under a
 * long deadlock_timeout) have no root. One member of each such cycle stands for it, as a root
 * does: the one whose transaction started last, the least work lost, as ending any one of them
 * breaks the cycle.
 *
 * @param waits every session waiting for a lock
 * @param prepared prepared transactions holding a lock a waiting session wants
 */
public record LockGraph(List<LockWait> waits, List<PreparedBlocker> prepared) {
  public static final LockGraph NONE = new LockGraph(List.of(), List.of());

  /** pg_blocking_pids' stand-in for a prepared transaction. */
  private static final int PREPARED_TRANSACTION = 0;

  private static final String WAITS =
      """
      with waiting as (
        select l.pid, min({since}) as since
          from pg_locks l join pg_stat_activity a on a.pid = l.pid
         where not l.granted and l.pid is not null
         group by l.pid)
      select w.pid, a.usename, a.state, a.query, a.xact_start,
             extract(epoch from now() - w.since) as waited_seconds,
             pg_blocking_pids(w.pid) as blockers
        from waiting w join pg_stat_activity a on a.pid = w.pid
       order by w.pid""";

  /**
   * The prepared transactions holding a granted lock on an object one of these sessions waits
   * for. A prepared transaction's locks show no pid; they share its virtual transaction, which
   * also holds the lock on its own transaction ID, the one pg_prepared_xacts names.
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

  public LockGraph {
    waits = List.copyOf(waits);
    prepared = List.copyOf(prepared);
  }

  /**
   * A session waiting for a lock, and whom for.
   *
   * @param xactStart when its transaction started, null when hidden: it chooses which member of
   *     a lock cycle stands for it
   */
  public record LockWait(
      int pid,
      String user,
      String state,
      String query,
      Duration waiting,
      List<Integer> blockers,
      OffsetDateTime xactStart) {
    public LockWait {
      blockers = List.copyOf(blockers);
    }

    public LockWait(
        int pid, String user, String state, String query, Duration waiting, List<Integer> blockers) {
      this(pid, user, state, query, waiting, blockers, null);
    }
  }

  /** A prepared transaction in the way: only {@code ROLLBACK PREPARED} (or COMMIT) ends it. */
  public record PreparedBlocker(String gid, String owner, String database, List<Integer> blocks) {
    public PreparedBlocker {
      blocks = List.copyOf(blocks);
    }

    /** What a DBA would run, the gid quoted as an SQL literal that pastes as is. */
    public String hint() {
      return "ROLLBACK PREPARED " + SqlLiteral.of(gid);
    }
  }

  /** A session and the sessions waiting on it, as a tree. */
  public record Blocked(LockWait waiter, List<Blocked> blocks) {
    public Blocked {
      blocks = List.copyOf(blocks);
    }
  }

  public static LockGraph read(Connection connection, Logger log) throws SQLException {
    ServerVersion version = ServerVersion.of(connection);
    String since;
    if (version.hasLockWaitStart()) {
      // waitstart is null for a moment after the wait begins.
      since = "coalesce(l.waitstart, now())";
      log.info("lock waits timed by pg_locks.waitstart (PostgreSQL {})", version);
    } else {
      since = "coalesce(a.query_start, now())";
      log.info(
          "lock waits timed by the waiting query's query_start: PostgreSQL {} has no"
              + " pg_locks.waitstart (14 and later), so a wait may look longer than it is",
          version);
    }
    String sql = WAITS.replace("{since}", since);
    log.debug("{}", sql);
    List<LockWait> waits = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        Integer[] blockers = (Integer[]) row.getArray("blockers").getArray();
        Object seconds = row.getObject("waited_seconds");
        waits.add(
            new LockWait(
                row.getInt("pid"),
                row.getString("usename"),
                row.getString("state"),
                row.getString("query"),
                seconds == null
                    ? Duration.ZERO
                    : Duration.ofMillis(Math.round(((Number) seconds).doubleValue() * 1000)),
                List.of(blockers),
                row.getObject("xact_start", OffsetDateTime.class)));
      }
    }
    List<Integer> waitingOnPrepared =
        waits.stream()
            .filter(w -> w.blockers().contains(PREPARED_TRANSACTION))
            .map(LockWait::pid)
            .toList();
    List<PreparedBlocker> prepared = new ArrayList<>();
    if (!waitingOnPrepared.isEmpty()) {
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
    }
    LockGraph graph = new LockGraph(waits, prepared);
    log.info(
        "{} for a lock; roots: {}; standing for lock cycles: {}; prepared transactions in the way: {}",
        waits.size() == 1 ? "1 session waits" : waits.size() + " sessions wait", graph.roots(),
        graph.cycleBreakers(), prepared.size());
    return graph;
  }

  /** The sessions that block others and wait for no one, by PID. */
  public Set<Integer> roots() {
    Set<Integer> waiting = new HashSet<>();
    waits.forEach(w -> waiting.add(w.pid()));
    Set<Integer> roots = new TreeSet<>();
    for (LockWait wait : waits) {
      for (int blocker : wait.blockers()) {
        if (blocker != PREPARED_TRANSACTION && !waiting.contains(blocker)) {
          roots.add(blocker);
        }
      }
    }
    return roots;
  }

  /**
   * The sessions that stand for lock cycles, one or more per cycle: taken in turn, the member of
   * a cycle whose transaction started last (hidden ones after the others, then the highest PID),
   * until no cycle is left among the rest. By PID.
   */
  public Set<Integer> cycleBreakers() {
    List<LockWait> byPreference = new ArrayList<>(waits);
    byPreference.sort(
        Comparator.comparing(
                LockWait::xactStart, Comparator.nullsFirst(Comparator.<OffsetDateTime>naturalOrder()))
            .thenComparing(LockWait::pid)
            .reversed());
    Set<Integer> chosen = new TreeSet<>();
    for (LockWait wait : byPreference) {
      if (!cycleThrough(wait.pid(), chosen).isEmpty()) {
        chosen.add(wait.pid());
      }
    }
    return chosen;
  }

  /**
   * The lock cycle this session is on, starting with it, each waiting for the next and the last
   * for it; empty when it is on none.
   */
  public List<Integer> cycleOf(int pid) {
    return cycleThrough(pid, Set.of());
  }

  /** The shortest cycle of waits from this session back to it that avoids these sessions. */
  private List<Integer> cycleThrough(int start, Set<Integer> avoid) {
    Map<Integer, LockWait> byPid = new HashMap<>();
    waits.forEach(w -> byPid.put(w.pid(), w));
    Map<Integer, Integer> reachedFrom = new HashMap<>();
    ArrayDeque<Integer> next = new ArrayDeque<>(List.of(start));
    while (!next.isEmpty()) {
      int pid = next.poll();
      LockWait wait = byPid.get(pid);
      if (wait == null) {
        continue;
      }
      for (int blocker : wait.blockers()) {
        if (blocker == start) {
          List<Integer> cycle = new ArrayList<>();
          for (Integer at = pid; at != null; at = reachedFrom.get(at)) {
            cycle.add(0, at);
          }
          return cycle;
        }
        if (blocker != PREPARED_TRANSACTION
            && !avoid.contains(blocker)
            && !reachedFrom.containsKey(blocker)) {
          reachedFrom.put(blocker, pid);
          next.add(blocker);
        }
      }
    }
    return List.of();
  }

  /**
   * The roots, and the sessions standing for lock cycles, that some session has waited on,
   * directly or down the queue, for longer than this; a cycle's own members count as waiting on
   * it.
   */
  public Set<Integer> rootsBlockingLongerThan(Optional<Duration> threshold) {
    Set<Integer> candidates = new TreeSet<>(roots());
    candidates.addAll(cycleBreakers());
    if (threshold.isEmpty()) {
      return candidates;
    }
    Set<Integer> chosen = new TreeSet<>();
    for (int root : candidates) {
      Set<LockWait> under = everyoneUnder(root);
      waits.stream().filter(w -> w.pid() == root).forEach(under::add);
      if (under.stream().anyMatch(w -> w.waiting().compareTo(threshold.get()) > 0)) {
        chosen.add(root);
      }
    }
    return chosen;
  }

  /** The prepared transactions in the way of a session that has waited longer than this. */
  public List<PreparedBlocker> preparedBlockingLongerThan(Optional<Duration> threshold) {
    if (threshold.isEmpty()) {
      return prepared;
    }
    List<PreparedBlocker> chosen = new ArrayList<>();
    for (PreparedBlocker blocker : prepared) {
      Set<LockWait> under = new LinkedHashSet<>();
      for (LockWait wait : waits) {
        if (blocker.blocks().contains(wait.pid())) {
          under.add(wait);
          under.addAll(everyoneUnder(wait.pid()));
        }
      }
      if (under.stream().anyMatch(w -> w.waiting().compareTo(threshold.get()) > 0)) {
        chosen.add(blocker);
      }
    }
    return chosen;
  }

  /** The sessions waiting on this one, each with the sessions waiting on it. */
  public List<Blocked> blockedBy(int pid) {
    return blockedBy(pid, new HashSet<>(Set.of(pid)));
  }

  /** The sessions waiting on this prepared transaction, each with the sessions waiting on it. */
  public List<Blocked> blockedBy(PreparedBlocker blocker) {
    Set<Integer> seen = new HashSet<>(blocker.blocks());
    List<Blocked> blocked = new ArrayList<>();
    for (LockWait wait : waits) {
      if (blocker.blocks().contains(wait.pid())) {
        blocked.add(new Blocked(wait, blockedBy(wait.pid(), seen)));
      }
    }
    return blocked;
  }

  private List<Blocked> blockedBy(int pid, Set<Integer> seen) {
    List<Blocked> blocked = new ArrayList<>();
    for (LockWait wait : waits) {
      // A session queued behind several others is shown once, under the first.
      if (wait.blockers().contains(pid) && seen.add(wait.pid())) {
        blocked.add(new Blocked(wait, blockedBy(wait.pid(), seen)));
      }
    }
    return blocked;
  }

  private Set<LockWait> everyoneUnder(int pid) {
    Set<LockWait> under = new LinkedHashSet<>();
    collect(blockedBy(pid), under);
    return under;
  }

  private static void collect(List<Blocked> blocked, Set<LockWait> into) {
    for (Blocked b : blocked) {
      into.add(b.waiter());
      collect(b.blocks(), into);
    }
  }
}
