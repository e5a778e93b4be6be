package dev.pgkill.select;

import java.util.List;
import java.util.Set;

/**
 * What the selection found in pg_stat_activity.
 *
 * @param sessions the sessions chosen: by filter, or the named PIDs that exist
 * @param unmatched named PIDs that exist but fail the filters
 * @param locks with --blockers: who waits for whom, to show the chosen roots' waiters and the
 *     prepared transactions in the way; else {@link LockGraph#NONE}
 */
public record Found(List<Session> sessions, Set<Integer> unmatched, LockGraph locks) {
  public Found {
    sessions = List.copyOf(sessions);
    unmatched = Set.copyOf(unmatched);
  }

  public Found(List<Session> sessions, Set<Integer> unmatched) {
    this(sessions, unmatched, LockGraph.NONE);
  }
}
