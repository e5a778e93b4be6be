package dev.pgkill.select;

import java.util.List;

/** Which sessions a run is about: the PIDs the user named, in the order given, without repeats. */
public record Selection(List<Target> targets) {

  public Selection {
    targets = List.copyOf(targets);
  }
}
