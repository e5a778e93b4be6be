package dev.pgkill.report;

import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.text.Counted;
import java.util.List;

/** The one line that ends the text report of a signal run or a dry run. */
final class Summary {
  private Summary() {}

  static String of(Action action, List<Outcome> outcomes) {
    return of(Asked.signal(action), outcomes);
  }

  /**
   * {@code cancel: 3 of 4 targets signalled, 1 not; 1 needed a terminate; 2 ended (1 by itself), 1
   * did not}; a dry run says only what it would have done.
   */
  static String of(Asked asked, List<Outcome> outcomes) {
    return of(asked.action().verb(), asked.action().verb(), asked, outcomes);
  }

  /**
   * The same over a policy's rules, whose actions may differ: {@code policy: 3 of 4 targets
   * signalled, 1 not}, {@code dry run: would signal 3 of 3 targets; nothing was signalled}.
   */
  static String ofPolicy(Asked asked, List<Outcome> outcomes) {
    return of("policy", "signal", asked, outcomes);
  }

  private static String of(String what, String verb, Asked asked, List<Outcome> outcomes) {
    Tally tally = Tally.of(outcomes);
    String targets = " of " + Counted.of(tally.targets(), "target");
    if (asked.dryRun()) {
      return "dry run: would "
          + verb
          + " "
          + tally.wouldSignal()
          + targets
          + "; nothing was signalled";
    }
    String summary =
        what
            + ": "
            + tally.signalled()
            + targets
            + " signalled"
            + (tally.notSignalled() > 0 ? ", " + tally.notSignalled() + " not" : "");
    if (!tally.waited()) {
      return summary;
    }
    if (asked.escalate()) {
      summary += "; " + tally.neededTerminate() + " needed a terminate";
    }
    return summary + ended(tally);
  }

  /** {@code ; 2 ended (1 by itself), 1 had nothing to cancel, 1 did not}. */
  private static String ended(Tally tally) {
    long ended = tally.ended();
    long byItself = tally.endedByItself();
    String summary =
        "; "
            + ended
            + " ended"
            + (byItself == 0
                ? ""
                : byItself == ended ? " by itself" : " (" + byItself + " by itself)");
    if (tally.nothingToCancel() > 0) {
      summary += ", " + tally.nothingToCancel() + " had nothing to cancel";
    }
    return summary + (tally.didNotEnd() > 0 ? ", " + tally.didNotEnd() + " did not" : "");
  }
}
