package dev.pgkill.report;

import dev.pgkill.signal.Outcome;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code --watch} tells the people who run it, as Prometheus metrics: passes, the sessions
 * each rule matched and what became of them, server errors, the last good pass, whether it is
 * connected. The loop calls it the same way whether or not {@code --metrics-port} was given;
 * without it, {@link #none()} counts nothing and serves nothing.
 *
 * <p>Labels are the rule's name, an action, and pgkill's own words for a result: a policy's few
 * rules times fixed lists of words, never a PID, a role or a query, so the series stay few however
 * long it runs.
 */
public interface WatchMetrics extends AutoCloseable {

  /** For a run without {@code --metrics-port}: every call does nothing, nothing listens. */
  static WatchMetrics none() {
    return new NoWatchMetrics();
  }

  /**
   * Starts serving {@code /metrics} on the address, before anything is signalled, so that a port
   * that cannot be had stops the run while it is still harmless.
   *
   * @throws dev.pgkill.text.UsageError one line naming the address when it cannot listen there (the
   *     port is taken, the address is not this host's)
   */
  static WatchMetrics serve(MetricsAddress address) {
    return PrometheusWatchMetrics.serve(address, false);
  }

  /**
   * As {@link #serve(MetricsAddress)}, for a watch over several servers: every series has a {@code
   * server} label, and each server counts into {@link #forServer}.
   */
  static WatchMetrics serveByServer(MetricsAddress address) {
    return PrometheusWatchMetrics.serve(address, true);
  }

  /**
   * What one server of a watch over several counts into: the same series, with the label {@code
   * server="LABEL"}. Metrics of one server's watch are their own.
   */
  default WatchMetrics forServer(String label) {
    return this;
  }

  /**
   * After each rule's pass, with the rule's outcomes (none when it matched nothing): counts the
   * sessions it matched, each session's result, and each signal (a cancel, and the terminate an
   * {@code escalate} sent after it) with the server's answer and, with a wait, what became of it.
   */
  void ruleApplied(String rule, List<Outcome> outcomes);

  /** When a pass has applied every rule, with the time it ended. */
  void passCompleted(Instant at);

  /**
   * When a pass ended before it had applied every rule (the connection was lost, the server
   * failed). The reason is not exported: it is free text, and a label of it would grow without
   * bound; the loop logs it.
   */
  void passFailed(String reason);

  /**
   * For each server failure outside any target: a lost connection, an error outside any target, a
   * failed connect or reconnect.
   */
  void serverError();

  /** When pgkill has connected (true), and when it has lost the connection or failed to (false). */
  void connected(boolean connected);

  /** The address and port metrics are served on, the port the system chose for port 0 included. */
  Optional<InetSocketAddress> served();

  /** Stops serving; the loop calls it as it ends. */
  @Override
  void close();
}
