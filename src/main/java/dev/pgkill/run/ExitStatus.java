package dev.pgkill.run;

import dev.pgkill.signal.Outcome;
import java.util.List;

/** The exit statuses pgkill promises in --help and the README; nothing else is ever returned. */
public enum ExitStatus {
  /** At least one target, and every target was signalled. */
  OK(0),
  /** Nothing matched, or nothing was signalled. */
  NOTHING_DONE(1),
  /** A usage error: bad option, PID, duration, regex, conninfo. */
  USAGE(2),
  /**
   * Could not connect or authenticate, the server failed outside any target, or standard output or
   * an audit line could not be written.
   */
  FATAL(3),
  /** Some targets signalled, some not. */
  PARTIAL(4),
  /** Refused by a safety rule; nothing signalled. */
  REFUSED(5),
  /** Another run holds the lock (--policy, --lock): this one did nothing. */
  BUSY(6);

  private final int code;

  ExitStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The status of a run that reached the server and attempted the given outcomes. */
  public static ExitStatus of(List<Outcome> outcomes) {
    if (outcomes.stream().anyMatch(Outcome::lostServer)) {
      return FATAL;
    }
    long done = outcomes.stream().filter(Outcome::done).count();
    if (done == 0) {
      return NOTHING_DONE;
    }
    return done == outcomes.size() ? OK : PARTIAL;
  }
}
