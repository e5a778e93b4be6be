package dev.pgkill.signal;

import java.time.Duration;

/**
 * What pgkill saw when it waited for a signalled target: whether the query or session really ended,
 * and how long it waited to find out.
 *
 * @param waited until the end was seen, or the whole timeout when it was not; when the wait was cut
 *     short (connection lost, pgkill stopped), as long as it really lasted
 */
public record Waited(Ending ending, Duration waited) {

  /** How the wait ended, seen now, after waiting since {@code start} (a {@code nanoTime}). */
  static Waited since(Ending ending, long start) {
    return new Waited(ending, Duration.ofNanos(System.nanoTime() - start));
  }

  /** How the wait ended. */
  public enum Ending {
    /** Cancel: the query inspected is no longer running, the session stays. */
    CANCELLED(true),
    /** Terminate: the backend has left pg_stat_activity. */
    TERMINATED(true),
    /** Cancel: the whole session went away (it ended, or was ended, while pgkill waited). */
    ENDED(true),
    /**
     * Cancel of a session idle in a transaction, which a cancel cannot end: the session ended the
     * transaction itself (a commit or rollback of its own) while pgkill waited.
     */
    ENDED_BY_ITSELF(true),
    /** Cancel: no query was running when it was inspected, so the cancel had nothing to stop. */
    NOTHING_TO_CANCEL(false),
    /** The same query (cancel) or the same backend (terminate) is still there after the timeout. */
    STILL_RUNNING(false),
    /** Cancel: the session is idle in the same transaction, which a cancel does not end. */
    STILL_IN_TRANSACTION(false),
    /** Its state is hidden from pgkill's role, or the wait failed: nobody can say. */
    UNKNOWN(false),
    /** The connection was lost while waiting: the signal was sent, whether it worked is unknown. */
    CONNECTION_LOST(false),
    /** pgkill was stopped (SIGINT, SIGTERM) while waiting: signalled, the rest is unknown. */
    INTERRUPTED(false);

    private final boolean done;

    Ending(boolean done) {
      this.done = done;
    }

    /** Whether the target is really dealt with. */
    public boolean done() {
      return done;
    }

    /** Whether a cancel did not do it, so that --escalate terminates the session. */
    public boolean escalates() {
      return this == STILL_RUNNING || this == STILL_IN_TRANSACTION;
    }
  }
}
