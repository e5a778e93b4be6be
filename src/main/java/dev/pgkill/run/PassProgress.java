package dev.pgkill.run;

/**
 * What a pass tells its caller before it ends, for the moments a person must see something while it
 * runs. A caller with no one to show (many passes, many servers) passes {@link #NONE}.
 */
public interface PassProgress {
  /** A person is about to be asked at the terminal: what the pass found must be shown first. */
  default void beforeAsking(PassResult soFar) {}

  /**
   * The server has answered the signals in {@code soFar} (and those before them in this pass),
   * whether or not a wait follows: called after every batch, the escalation's terminates too.
   */
  default void signalled(PassResult soFar) {}

  /**
   * The signals in {@code soFar} went out and the pass now waits to see them work: if the process
   * is stopped now, this is what was signalled.
   */
  default void waiting(PassResult soFar) {}

  PassProgress NONE = new PassProgress() {};
}
