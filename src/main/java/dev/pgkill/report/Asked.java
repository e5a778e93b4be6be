package dev.pgkill.report;

import dev.pgkill.signal.Action;

/**
 * What the run was asked to do, as far as its summary must say it.
 *
 * @param dryRun {@code --dry-run}: nothing was signalled; the summary says what would have been
 * @param escalate {@code --escalate}: the summary says how many targets needed the terminate
 */
public record Asked(Action action, boolean dryRun, boolean escalate) {

  /** A run that signals, without --escalate. */
  public static Asked signal(Action action) {
    return new Asked(action, false, false);
  }
}
