package dev.pgkill.select;

import java.util.List;
import java.util.Set;

/**
 * What the selection found in pg_stat_activity.
 *
 * @param sessions the sessions chosen: by filter, or the named PIDs that exist
 * @param unmatched named PIDs that exist but fail the filters
 */
public record Found(List<Session> sessions, Set<Integer> unmatched) {
  public Found {
    sessions = List.copyOf(sessions);
    unmatched = Set.copyOf(unmatched);
  }
}
