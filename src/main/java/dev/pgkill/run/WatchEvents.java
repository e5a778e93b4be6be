package dev.pgkill.run;

import dev.pgkill.connect.ServerIdentity;
import java.time.Duration;
import java.util.List;

/**
 * What a watch tells the people who run it, as it happens: {@code cli} prints it at the verbosity
 * asked for, and the metrics count it. Every method has a default that does nothing.
 */
public interface WatchEvents {
  /** A session to the server was opened (the first, or after one was lost). */
  default void connected(ServerIdentity server) {}

  /**
   * The server could not be reached; the watch tries again after {@code retryIn}, or, when it is
   * null, gives up: the server refused pgkill's settings before any pass.
   */
  default void unreachable(String message, Duration retryIn) {}

  /** The session was lost during a pass; the watch connects again after {@code retryIn}. */
  default void lost(String message, Duration retryIn) {}

  /** One application of every rule, which took {@code took}. */
  default void passed(long pass, PolicyResult result, Duration took) {}

  /** A SIGHUP: the policy is about to be re-read, and the audit trail may reopen its file. */
  default void reloading() {}

  /** The policy was re-read and its new rules apply from the next pass. */
  default void reloaded(Policy policy) {}

  /** The re-read policy was refused; the rules being applied stay. */
  default void reloadRefused(String message) {}

  /** The watch stops: asked to, after the rule it was applying. */
  default void stopped(long passes) {}

  /** Tells each of {@code listeners}, in this order. */
  static WatchEvents all(List<WatchEvents> listeners) {
    return new AllWatchEvents(listeners);
  }
}
