package dev.pgkill.select;

import java.util.List;

/**
 * Which sessions a run is about: the PIDs the user named, in the order given, without repeats, and
 * the filters every chosen session must pass. With no PIDs, the filters alone choose.
 */
public record Selection(List<Target> targets, Filters filters) {

  public Selection {
    targets = List.copyOf(targets);
  }

  public static Selection of(List<Target> targets) {
    return new Selection(targets, Filters.none());
  }

  /** Whether the filters chose the sessions, rather than PIDs the user named. */
  public boolean byFilter() {
    return targets.isEmpty();
  }
}
