package dev.pgkill.report;

import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Waited;
import dev.pgkill.text.UsageError;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The metrics of one watch run, in a registry of its own (never the client library's default one,
 * which is global: two runs in one JVM, as in the tests, would count into each other), served by
 * the library's HTTP server on {@code /metrics}.
 */
final class PrometheusWatchMetrics implements WatchMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private final Counter passes =
      Counter.builder()
          .name("pgkill_passes_total")
          .help(
              "Passes over the server: ok when every rule was applied, failed when the pass ended"
                  + " before that (a lost connection, a server failure)")
          .labelNames("status")
          .withoutExemplars()
          .register(registry);

  private final Gauge lastSuccessfulPass =
      Gauge.builder()
          .name("pgkill_last_successful_pass_timestamp_seconds")
          .help(
              "When the last pass that applied every rule ended, in Unix time; 0 before the first")
          .withoutExemplars()
          .register(registry);

  private final Counter serverErrors =
      Counter.builder()
          .name("pgkill_server_errors_total")
          .help(
              "Server failures outside any session: lost connections, errors outside any target,"
                  + " failed connects and reconnects")
          .withoutExemplars()
          .register(registry);

  private final Gauge connected =
      Gauge.builder()
          .name("pgkill_connected")
          .help("1 while pgkill is connected to the server, 0 while it is not (it retries)")
          .withoutExemplars()
          .register(registry);

  private final Counter matched =
      Counter.builder()
          .name("pgkill_sessions_matched_total")
          .help("Sessions a rule's selection chose, counted at each pass that chose them")
          .labelNames("rule")
          .withoutExemplars()
          .register(registry);

  private final Counter sessions =
      Counter.builder()
          .name("pgkill_sessions_total")
          .help(
              "Sessions a rule dealt with, once each, by outcome (result: the outcome word of"
                  + " --output json: signalled, gone, denied, protected, ...); escalate's"
                  + " terminate counts in pgkill_signals_total")
          .labelNames("rule", "result")
          .withoutExemplars()
          .register(registry);

  private final Counter signals =
      Counter.builder()
          .name("pgkill_signals_total")
          .help(
              "Signals a rule decided on, each cancel or terminate (escalate's terminate"
                  + " included) by the server's answer, in the outcome words of --output json")
          .labelNames("rule", "action", "result")
          .withoutExemplars()
          .register(registry);

  private final Counter waits =
      Counter.builder()
          .name("pgkill_waits_total")
          .help(
              "With wait or escalate: what pgkill saw after a signal (wait: the wait word of"
                  + " --output json: terminated, cancelled, still_running, ...)")
          .labelNames("rule", "action", "wait")
          .withoutExemplars()
          .register(registry);

  private final HTTPServer server;
  private final InetSocketAddress served;
  private volatile boolean closed;

  private PrometheusWatchMetrics(MetricsAddress address) {
    // Both statuses from the start, so that a rate or an alert on failed passes has a series to
    // read before the first failure.
    passes.initLabelValues("ok");
    passes.initLabelValues("failed");
    InetAddress bind = resolve(address);
    try {
      server =
          HTTPServer.builder()
              .inetAddress(bind)
              .port(address.port())
              .registry(registry)
              .buildAndStart();
    } catch (IOException e) {
      throw cannotServe(address, String.valueOf(e.getMessage()));
    }
    served = new InetSocketAddress(bind, server.getPort());
  }

  static PrometheusWatchMetrics serve(MetricsAddress address) {
    return new PrometheusWatchMetrics(address);
  }

  /** The address to bind: the one named, or the wildcard for every interface. */
  private static InetAddress resolve(MetricsAddress address) {
    if (address.host().isEmpty()) {
      return new InetSocketAddress(address.port()).getAddress();
    }
    try {
      return InetAddress.getByName(address.host().get());
    } catch (UnknownHostException e) {
      throw cannotServe(address, "unknown host " + address.host().get());
    }
  }

  private static UsageError cannotServe(MetricsAddress address, String why) {
    String where = address.host().isPresent() ? "" : " (every interface)";
    return new UsageError("cannot serve metrics on --metrics-port " + address + where + ": " + why);
  }

  @Override
  public void ruleApplied(String rule, List<Outcome> outcomes) {
    // Even a pass that matched nothing makes the rule's series, so a rate reads 0, not nothing.
    long chosen = outcomes.stream().filter(PrometheusWatchMetrics::chosen).count();
    matched.labelValues(rule).inc(chosen);
    for (Outcome outcome : outcomes) {
      sessions.labelValues(rule, word(outcome.result())).inc();
      signal(rule, outcome);
      outcome.escalation().ifPresent(terminate -> signal(rule, terminate));
    }
  }

  private void signal(String rule, Outcome outcome) {
    String action = outcome.action().verb();
    signals.labelValues(rule, action, word(outcome.result())).inc();
    outcome
        .waited()
        .ifPresent(waited -> waits.labelValues(rule, action, word(waited.ending())).inc());
  }

  /**
   * Whether the rule's selection chose this session: a named PID that matched no session, or failed
   * the filters, was not chosen.
   */
  private static boolean chosen(Outcome outcome) {
    return outcome.session().isPresent()
        && outcome.result() != Outcome.Result.NOT_FOUND
        && outcome.result() != Outcome.Result.NOT_MATCHED;
  }

  /** The {@code outcome} word of {@code --output json}, so a metric and a JSON line agree. */
  static String word(Outcome.Result result) {
    return result.name().toLowerCase(Locale.ROOT);
  }

  /** The {@code wait} word of {@code --output json}. */
  static String word(Waited.Ending ending) {
    return ending.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void passCompleted(Instant at) {
    passes.labelValues("ok").inc();
    lastSuccessfulPass.set(at.toEpochMilli() / 1000.0);
  }

  @Override
  public void passFailed(String reason) {
    passes.labelValues("failed").inc();
  }

  @Override
  public void serverError() {
    serverErrors.inc();
  }

  @Override
  public void connected(boolean connected) {
    this.connected.set(connected ? 1 : 0);
  }

  @Override
  public Optional<InetSocketAddress> served() {
    return closed ? Optional.empty() : Optional.of(served);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.close();
    }
  }
}
