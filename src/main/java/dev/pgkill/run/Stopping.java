package dev.pgkill.run;

/**
 * How a run learns that the process is being stopped (SIGINT, SIGTERM) while it waits for its
 * signals to work: the signals have gone out, and the user must still learn which. Only {@code
 * cli.Main} can hear the process stop; everyone else is handed this.
 */
@FunctionalInterface
public interface Stopping {
  /**
   * From now on, {@code last} is what runs if the process is stopped: it must finish quickly.
   * {@code null} when there is nothing left to say.
   */
  void onStop(Runnable last);

  /** Nobody stops the process from outside (tests, in-process runs). */
  Stopping UNHEARD = last -> {};
}
