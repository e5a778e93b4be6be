package dev.pgkill.select;

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

/**
 * Who waits for whom on a lock, as {@link LockGraphReader} read it once per pass: every session
 * waiting for a lock, and the sessions it waits for, hard or soft (queued behind).
 *
 * <p>A root blocks others and waits for no one: ending it is what lets the queue move. PID 0 among
 * the blockers is a prepared transaction, which no signal can end; it is named by its gid.
 *
 * <p>Sessions waiting for each other (a deadlock the server's check has not broken yet, under a
 * long deadlock_timeout) have no root. One member of each such cycle stands for it, as a root does:
 * the one whose transaction started last, the least work lost, as ending any one of them breaks the
 * cycle.
 *
 * @param waits every session waiting for a lock
 * @param prepared prepared transactions holding a lock a waiting session wants
 */
public record LockGraph(List<LockWait> waits, List<PreparedBlocker> prepared) {
  public static final LockGraph NONE = new LockGraph(List.of(), List.of());

  /** pg_blocking_pids' stand-in for a prepared transaction. */
  static final int PREPARED_TRANSACTION = 0;

  public LockGraph {
    waits = List.copyOf(waits);
    prepared = List.copyOf(prepared);
  }

  /**
   * A session waiting for a lock, and whom for.
   *
   * @param xactStart when its transaction started, null when hidden: it chooses which member of a
   *     lock cycle stands for it
   * @param lock the lock it waits for; null when it was granted as the graph was read
   */
  public record LockWait(
      int pid,
      String user,
      String state,
      String query,
      Duration waiting,
      List<Integer> blockers,
      OffsetDateTime xactStart,
      LockWanted lock) {
    public LockWait {
      blockers = List.copyOf(blockers);
    }

    public LockWait(
        int pid,
        String user,
        String state,
        String query,
        Duration waiting,
        List<Integer> blockers,
        OffsetDateTime xactStart) {
      this(pid, user, state, query, waiting, blockers, xactStart, null);
    }

    public LockWait(
        int pid,
        String user,
        String state,
        String query,
        Duration waiting,
        List<Integer> blockers) {
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
   * The sessions that stand for lock cycles, one or more per cycle: taken in turn, the member of a
   * cycle whose transaction started last (hidden ones after the others, then the highest PID),
   * until no cycle is left among the rest. By PID.
   */
  public Set<Integer> cycleBreakers() {
    List<LockWait> byPreference = new ArrayList<>(waits);
    byPreference.sort(
        Comparator.comparing(
                LockWait::xactStart,
                Comparator.nullsFirst(Comparator.<OffsetDateTime>naturalOrder()))
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
   * The lock cycle this session is on, starting with it, each waiting for the next and the last for
   * it; empty when it is on none.
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
   * The roots, and the sessions standing for lock cycles, that some session has waited on, directly
   * or down the queue, for longer than this; a cycle's own members count as waiting on it.
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
