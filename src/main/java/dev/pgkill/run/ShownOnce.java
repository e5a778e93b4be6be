package dev.pgkill.run;

import dev.pgkill.report.Report;
import java.time.Duration;

/**
 * A pass's result as the one-shot command shows it, each part exactly once: what the selection
 * found, before a person is asked; then the listing or the outcomes, by the pass when it is done
 * or, if the process is stopped while the pass waits, by the stop with what had gone out by then.
 * Never both, and never half of one and half of the other.
 */
final class ShownOnce implements PassProgress {
  private final Report report;
  private final Stopping stopping;
  private boolean foundShown;
  private boolean bodyShown;
  private PassResult waiting;
  private long waitingSince;

  ShownOnce(Report report, Stopping stopping) {
    this.report = report;
    this.stopping = stopping;
  }

  @Override
  public synchronized void beforeAsking(PassResult soFar) {
    showFound(soFar);
  }

  @Override
  public synchronized void waiting(PassResult soFar) {
    waiting = soFar;
    waitingSince = System.nanoTime();
    stopping.onStop(this::stopped);
  }

  /** The process is being stopped: every signal not yet seen to work was interrupted. */
  synchronized void stopped() {
    if (bodyShown || waiting == null) {
      return;
    }
    show(waiting.stoppedWhileWaiting(Duration.ofNanos(System.nanoTime() - waitingSince)));
  }

  /** What is left to show of the pass's result. */
  synchronized void show(PassResult result) {
    showFound(result);
    if (!bodyShown) {
      bodyShown = true;
      result.renderBody(report);
    }
    result.renderError(report);
  }

  private void showFound(PassResult result) {
    if (!foundShown) {
      foundShown = true;
      result.renderFound(report);
    }
  }
}
