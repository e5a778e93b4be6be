package dev.pgkill.report;

import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Outcome.Result;
import dev.pgkill.signal.Waited.Ending;
import java.util.List;

/**
 * The numbers a summary gives, counted once for every output format.
 *
 * @param waited whether pgkill waited for any signal to work (--wait, --escalate)
 * @param ended targets really ended, by the signal or by themselves
 * @param endedByItself of those, the ones whose transaction ended without pgkill's doing: during
 *     the wait, or just before the escalation's terminate
 * @param nothingToCancel a cancel of a session that ran no query
 * @param neededTerminate --escalate: the cancel did not do it, so the terminate went out
 */
record Tally(
    long targets,
    long signalled,
    long wouldSignal,
    boolean waited,
    long ended,
    long endedByItself,
    long nothingToCancel,
    long neededTerminate) {

  static Tally of(List<Outcome> outcomes) {
    return new Tally(
        outcomes.size(),
        outcomes.stream().filter(Outcome::signalled).count(),
        outcomes.stream().filter(o -> o.result() == Result.WOULD_SIGNAL).count(),
        outcomes.stream().anyMatch(o -> o.waited().isPresent()),
        outcomes.stream().filter(Outcome::done).count(),
        outcomes.stream().filter(Tally::endedByItself).count(),
        outcomes.stream().filter(o -> ending(o) == Ending.NOTHING_TO_CANCEL).count(),
        outcomes.stream()
            .filter(o -> o.escalation().map(t -> !endedBeforeTheTerminate(t)).orElse(false))
            .count());
  }

  long notSignalled() {
    return targets - signalled - wouldSignal;
  }

  /** Signalled, and seen not to end: still running, unknown, or the wait was cut short. */
  long didNotEnd() {
    return signalled - ended - nothingToCancel;
  }

  private static boolean endedByItself(Outcome outcome) {
    return outcome.escalation().isPresent()
        ? endedBeforeTheTerminate(outcome.escalation().get())
        : ending(outcome) == Ending.ENDED_BY_ITSELF;
  }

  /** The terminate found the query, the transaction or the whole session already over. */
  private static boolean endedBeforeTheTerminate(Outcome terminate) {
    return terminate.result() == Result.FINISHED_IN_GRACE || terminate.result() == Result.GONE;
  }

  private static Ending ending(Outcome outcome) {
    return outcome.waited().map(w -> w.ending()).orElse(null);
  }
}
