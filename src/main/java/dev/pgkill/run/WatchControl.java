package dev.pgkill.run;

import java.time.Duration;

/**
 * What a watch is told from outside while it runs: stop (SIGTERM, SIGINT) or re-read the policy
 * (SIGHUP). Only {@code cli} hears the process's signals; it tells this, from whatever thread the
 * signal arrives on, and the watch asks it between rules and while it waits for the next pass.
 */
public final class WatchControl {
  private boolean stop;
  private boolean reload;

  /** Stop after the rule being applied, if any, and its report. */
  public synchronized void stop() {
    stop = true;
    notifyAll();
  }

  /** Re-read the policy, and reopen the audit trail, before the next pass. */
  public synchronized void reload() {
    reload = true;
    notifyAll();
  }

  public synchronized boolean stopping() {
    return stop;
  }

  /** Whether a reload was asked for since the last time this was asked. */
  synchronized boolean takeReload() {
    boolean asked = reload;
    reload = false;
    return asked;
  }

  /** Waits up to {@code duration}, less if a stop or a reload is asked for meanwhile. */
  synchronized void pause(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (!stop && !reload) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        wait(Math.max(1, left / 1_000_000), 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop = true;
      }
    }
  }
}
