package dev.pgkill.signal;

import dev.pgkill.safety.Cleared;
import dev.pgkill.select.Durations;
import dev.pgkill.text.Counted;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * {@code --cancel --escalate}: cancel, give the sessions a grace period, then terminate those the
 * cancel did not help: still running the same query, or idle in the same open transaction (which a
 * cancel never ends). The terminate goes through the same identity check as any signal, and pgkill
 * waits for it too, so the report can say the session is really gone.
 */
public final class Escalator {
  private final Signaller signaller;
  private final Waiter waiter;
  private final Logger log;

  public Escalator(Signaller signaller, Waiter waiter, Logger log) {
    this.signaller = signaller;
    this.waiter = waiter;
    this.log = log;
  }

  /** One outcome per cleared target, in order: the cancel, and the terminate where one was sent. */
  public List<Outcome> cancelThenTerminate(List<Cleared> cleared, Duration grace, Duration wait)
      throws SQLException {
    return cancelThenTerminate(cleared, grace, wait, sent -> {});
  }

  /**
   * As {@link #cancelThenTerminate(List, Duration, Duration)}, telling {@code sent} what has gone
   * out before each wait begins: the cancels, then the cancels with the terminates.
   */
  public List<Outcome> cancelThenTerminate(
      List<Cleared> cleared, Duration grace, Duration wait, Consumer<List<Outcome>> sent)
      throws SQLException {
    List<Outcome> signalled = signaller.signal(cleared, Action.CANCEL);
    sent.accept(signalled);
    List<Outcome> cancelled = waiter.await(signalled, Action.CANCEL, grace);
    if (cancelled.stream().anyMatch(Outcome::lostServer)) {
      return cancelled; // no connection left to terminate on
    }
    List<Integer> stubborn = new ArrayList<>();
    for (int i = 0; i < cancelled.size(); i++) {
      boolean escalates = cancelled.get(i).waited().map(w -> w.ending().escalates()).orElse(false);
      if (escalates) {
        stubborn.add(i);
      }
    }
    if (stubborn.isEmpty()) {
      return cancelled;
    }
    log.info(
        "{} still busy after a grace of {}: terminating {}",
        Counted.of(stubborn.size(), "session"),
        Durations.format(grace),
        stubborn.size() == 1 ? "it" : "them");
    List<Outcome> terminates =
        signaller.terminateIfStillBusy(stubborn.stream().map(cleared::get).toList());
    sent.accept(escalated(cancelled, stubborn, terminates));
    return escalated(cancelled, stubborn, waiter.await(terminates, Action.TERMINATE, wait));
  }

  private static List<Outcome> escalated(
      List<Outcome> cancelled, List<Integer> stubborn, List<Outcome> terminated) {
    List<Outcome> outcomes = new ArrayList<>(cancelled);
    for (int j = 0; j < stubborn.size(); j++) {
      int i = stubborn.get(j);
      outcomes.set(i, cancelled.get(i).withEscalation(terminated.get(j)));
    }
    return outcomes;
  }
}
