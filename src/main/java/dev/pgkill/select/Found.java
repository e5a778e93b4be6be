package dev.pgkill.select;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the selection found in pg_stat_activity.
 *
 * @param sessions the sessions chosen: by filter, or the named PIDs that exist
 * @param unmatched named PIDs that exist but fail the filters
 * @param locks with --blockers: who waits for whom, to show the chosen roots' waiters and the
 *     prepared transactions in the way; else {@link LockGraph#NONE}
 * @param mismatches of the unmatched PIDs, each one's row and why it does not match
 */
public record Found(
    List<Session> sessions,
    Set<Integer> unmatched,
    LockGraph locks,
    Map<Integer, Mismatch> mismatches) {
  /** Nothing found, where nothing was looked for. */
  public static final Found NONE = new Found(List.of(), Set.of());

  public Found {
    sessions = List.copyOf(sessions);
    unmatched = Set.copyOf(unmatched);
    mismatches = Map.copyOf(mismatches);
  }

  public Found(List<Session> sessions, Set<Integer> unmatched) {
    this(sessions, unmatched, LockGraph.NONE);
  }

  public Found(List<Session> sessions, Set<Integer> unmatched, LockGraph locks) {
    this(sessions, unmatched, locks, Map.of());
  }

  /**
   * A named PID's row that fails the filters, and the first filter it fails, in pgkill's words:
   * {@code does not match --user app}.
   */
  public record Mismatch(Session session, String why) {}
}
