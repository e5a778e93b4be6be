package dev.pgkill.signal;

import dev.pgkill.select.Session;
import dev.pgkill.signal.Activity.Row;
import dev.pgkill.signal.Waited.Ending;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cancel, or a terminate before PostgreSQL 14: pgkill looks at pg_stat_activity by the backend's
 * identity, more and more slowly, until each target is settled or the timeout passed.
 */
final class Polling {
  private static final Duration FIRST_INTERVAL = Duration.ofMillis(50);

  /** Polls slow down to this, so a long wait costs the server one tiny query a second or so. */
  private static final Duration LONGEST_INTERVAL = Duration.ofMillis(500);

  private static final String IDLE_IN_TRANSACTION = "idle in transaction";

  private final Activity activity;

  Polling(Activity activity) {
    this.activity = activity;
  }

  /** Puts in {@code found}, by index, what polling found of each signalled outcome. */
  void await(
      List<Outcome> outcomes,
      List<Integer> signalled,
      Action action,
      long start,
      Duration timeout,
      Map<Integer, Waited> found)
      throws SQLException {
    List<Integer> waiting = new ArrayList<>(signalled);
    long deadline = start + timeout.toNanos();
    Duration interval = FIRST_INTERVAL;
    while (true) {
      Map<Integer, Ending> stillWaiting = look(outcomes, waiting, action, start, found);
      waiting = new ArrayList<>(stillWaiting.keySet());
      long left = deadline - System.nanoTime();
      if (waiting.isEmpty() || left <= 0) {
        stillWaiting.forEach((i, ending) -> found.put(i, new Waited(ending, timeout)));
        return;
      }
      sleep(Math.min(interval.toNanos(), left));
      interval =
          interval.multipliedBy(2).compareTo(LONGEST_INTERVAL) > 0
              ? LONGEST_INTERVAL
              : interval.multipliedBy(2);
    }
  }

  /** One look: the settled go into {@code found}; the rest, with how they stand, are returned. */
  private Map<Integer, Ending> look(
      List<Outcome> outcomes,
      List<Integer> waiting,
      Action action,
      long start,
      Map<Integer, Waited> found)
      throws SQLException {
    Map<Integer, Row> now =
        activity.rows(
            waiting.stream().map(i -> outcomes.get(i).session().orElseThrow().pid()).toList());
    Map<Integer, Ending> stillWaiting = new LinkedHashMap<>();
    for (int i : waiting) {
      Session session = outcomes.get(i).session().orElseThrow();
      Row row = now.get(session.pid());
      Ending ending = ending(action, session, row != null && row.same(session) ? row : null);
      if (ending.escalates()) {
        stillWaiting.put(i, ending);
      } else {
        found.put(i, Waited.since(ending, start));
      }
    }
    return stillWaiting;
  }

  /**
   * What a poll says about one target; {@code now} is its row if the same backend is still there. A
   * cancel is done once the inspected query no longer runs, unless the session sits idle in the
   * same transaction: a cancel does not end a transaction, and an open one still holds its locks.
   * An aborted transaction holds none, so that counts as done. A session that ran no query when
   * inspected gave the cancel nothing to stop: if it was idle in a transaction, only the session
   * itself can end that transaction, and when it does it ended by itself.
   */
  static Ending ending(Action action, Session inspected, Row now) {
    if (now == null) {
      return action == Action.CANCEL ? Ending.ENDED : Ending.TERMINATED;
    }
    if (action == Action.TERMINATE) {
      return Ending.STILL_RUNNING;
    }
    if (now.state() == null || inspected.state() == null) {
      return Ending.UNKNOWN;
    }
    if (!running(inspected.state())) {
      if (!IDLE_IN_TRANSACTION.equals(inspected.state()) || inspected.xactStart() == null) {
        return Ending.NOTHING_TO_CANCEL;
      }
      return sameTime(inspected.xactStart(), now.xactStart())
          ? Ending.STILL_IN_TRANSACTION
          : Ending.ENDED_BY_ITSELF;
    }
    if (inspected.queryStart() == null) {
      return Ending.UNKNOWN;
    }
    if (running(now.state()) && sameTime(inspected.queryStart(), now.queryStart())) {
      return Ending.STILL_RUNNING;
    }
    if (IDLE_IN_TRANSACTION.equals(now.state())
        && inspected.xactStart() != null
        && sameTime(inspected.xactStart(), now.xactStart())) {
      return Ending.STILL_IN_TRANSACTION;
    }
    return Ending.CANCELLED;
  }

  private static boolean running(String state) {
    return "active".equals(state) || "fastpath function call".equals(state);
  }

  private static boolean sameTime(OffsetDateTime a, OffsetDateTime b) {
    return a != null && b != null && a.isEqual(b);
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(Math.max(1, nanos / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
