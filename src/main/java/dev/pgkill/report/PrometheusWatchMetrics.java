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

  private final Counter passes;
  private final Gauge lastSuccessfulPass;
  private final Counter serverErrors;
  private final Gauge connected;
  private final Counter matched;
  private final Counter sessions;
  private final Counter signals;
  private final Counter waits;

  private final HTTPServer server;
  private final InetSocketAddress served;
  private final boolean byServer;
  private volatile boolean closed;

  /**
   * @param byServer whether several servers are watched: every series then has a {@code server}
   *     label, the server's label in the report
   */
  private PrometheusWatchMetrics(MetricsAddress address, boolean byServer) {
    this.byServer = byServer;
    passes =
        Counter.builder()
            .name("pgkill_passes_total")
            .help(
                "Passes over the server: ok when every rule was applied, failed when the pass ended"
                    + " before that (a lost connection, a server failure)")
            .labelNames(names("status"))
            .withoutExemplars()
            .register(registry);
    Gauge.Builder lastSuccessfulPassBuilder =
        Gauge.builder()
            .name("pgkill_last_successful_pass_timestamp_seconds")
            .help(
                "When the last pass that applied every rule ended, in Unix time; 0 before the first")
            .withoutExemplars();
    lastSuccessfulPass =
        (byServer ? lastSuccessfulPassBuilder.labelNames("server") : lastSuccessfulPassBuilder)
            .register(registry);
    Counter.Builder serverErrorsBuilder =
        Counter.builder()
            .name("pgkill_server_errors_total")
            .help(
                "Server failures outside any session: lost connections, errors outside any target,"
                    + " failed connects and reconnects")
            .withoutExemplars();
    serverErrors =
        (byServer ? serverErrorsBuilder.labelNames("server") : serverErrorsBuilder)
            .register(registry);
    Gauge.Builder connectedBuilder =
        Gauge.builder()
            .name("pgkill_connected")
            .help("1 while pgkill is connected to the server, 0 while it is not (it retries)")
            .withoutExemplars();
    connected =
        (byServer ? connectedBuilder.labelNames("server") : connectedBuilder).register(registry);
    matched =
        Counter.builder()
            .name("pgkill_sessions_matched_total")
            .help("Sessions a rule's selection chose, counted at each pass that chose them")
            .labelNames(names("rule"))
            .withoutExemplars()
            .register(registry);
    sessions =
        Counter.builder()
            .name("pgkill_sessions_total")
            .help(
                "Sessions a rule dealt with, once each, by outcome (result: the outcome word of"
                    + " --output json: signalled, gone, denied, protected, ...); escalate's"
                    + " terminate counts in pgkill_signals_total")
            .labelNames(names("rule", "result"))
            .withoutExemplars()
            .register(registry);
    signals =
        Counter.builder()
            .name("pgkill_signals_total")
            .help(
                "Signals a rule decided on, each cancel or terminate (escalate's terminate"
                    + " included) by the server's answer, in the outcome words of --output json")
            .labelNames(names("rule", "action", "result"))
            .withoutExemplars()
            .register(registry);
    waits =
        Counter.builder()
            .name("pgkill_waits_total")
            .help(
                "With wait or escalate: what pgkill saw after a signal (wait: the wait word of"
                    + " --output json: terminated, cancelled, still_running, ...)")
            .labelNames(names("rule", "action", "wait"))
            .withoutExemplars()
            .register(registry);
    if (!byServer) {
      initialised(Optional.empty());
    }
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

  static PrometheusWatchMetrics serve(MetricsAddress address, boolean byServer) {
    return new PrometheusWatchMetrics(address, byServer);
  }

  /** The label names of a family: {@code server} first, when several servers are watched. */
  private String[] names(String... names) {
    if (!byServer) {
      return names;
    }
    return first("server", names);
  }

  /** The label values of a series: the server's first, when several servers are watched. */
  private static String[] values(Optional<String> server, String... values) {
    if (server.isEmpty()) {
      return values;
    }
    return first(server.get(), values);
  }

  private static String[] first(String first, String... rest) {
    List<String> all = new java.util.ArrayList<>(List.of(rest));
    all.add(0, first);
    return all.toArray(String[]::new);
  }

  /**
   * Both statuses from the start, so that a rate or an alert on failed passes has a series to read
   * before the first failure; with several servers, every series of each server.
   */
  private void initialised(Optional<String> server) {
    passes.initLabelValues(values(server, "ok"));
    passes.initLabelValues(values(server, "failed"));
    // A server's series are there, at 0, from its start, as the unlabelled ones are.
    server.ifPresent(
        label -> {
          lastSuccessfulPass.initLabelValues(label);
          serverErrors.initLabelValues(label);
          connected.initLabelValues(label);
        });
  }

  @Override
  public WatchMetrics forServer(String label) {
    if (!byServer) {
      return this;
    }
    initialised(Optional.of(label));
    return new OneServer(Optional.of(label));
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
    ruleApplied(Optional.empty(), rule, outcomes);
  }

  private void ruleApplied(Optional<String> server, String rule, List<Outcome> outcomes) {
    // Even a pass that matched nothing makes the rule's series, so a rate reads 0, not nothing.
    long chosen = outcomes.stream().filter(PrometheusWatchMetrics::chosen).count();
    matched.labelValues(values(server, rule)).inc(chosen);
    for (Outcome outcome : outcomes) {
      sessions.labelValues(values(server, rule, word(outcome.result()))).inc();
      signal(server, rule, outcome);
      outcome.escalation().ifPresent(terminate -> signal(server, rule, terminate));
    }
  }

  private void signal(Optional<String> server, String rule, Outcome outcome) {
    String action = outcome.action().verb();
    signals.labelValues(values(server, rule, action, word(outcome.result()))).inc();
    outcome
        .waited()
        .ifPresent(
            waited -> waits.labelValues(values(server, rule, action, word(waited.ending()))).inc());
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
    passCompleted(Optional.empty(), at);
  }

  private void passCompleted(Optional<String> server, Instant at) {
    passes.labelValues(values(server, "ok")).inc();
    (server.isPresent() ? lastSuccessfulPass.labelValues(server.get()) : lastSuccessfulPass)
        .set(at.toEpochMilli() / 1000.0);
  }

  @Override
  public void passFailed(String reason) {
    passFailed(Optional.empty());
  }

  private void passFailed(Optional<String> server) {
    passes.labelValues(values(server, "failed")).inc();
  }

  @Override
  public void serverError() {
    serverError(Optional.empty());
  }

  private void serverError(Optional<String> server) {
    (server.isPresent() ? serverErrors.labelValues(server.get()) : serverErrors).inc();
  }

  @Override
  public void connected(boolean connected) {
    connected(Optional.empty(), connected);
  }

  private void connected(Optional<String> server, boolean connected) {
    (server.isPresent() ? this.connected.labelValues(server.get()) : this.connected)
        .set(connected ? 1 : 0);
  }

  /** One server's view of the metrics of a watch over several: each series labelled with it. */
  private final class OneServer implements WatchMetrics {
    private final Optional<String> server;

    OneServer(Optional<String> server) {
      this.server = server;
    }

    @Override
    public void ruleApplied(String rule, List<Outcome> outcomes) {
      PrometheusWatchMetrics.this.ruleApplied(server, rule, outcomes);
    }

    @Override
    public void passCompleted(Instant at) {
      PrometheusWatchMetrics.this.passCompleted(server, at);
    }

    @Override
    public void passFailed(String reason) {
      PrometheusWatchMetrics.this.passFailed(server);
    }

    @Override
    public void serverError() {
      PrometheusWatchMetrics.this.serverError(server);
    }

    @Override
    public void connected(boolean connected) {
      PrometheusWatchMetrics.this.connected(server, connected);
    }

    @Override
    public Optional<InetSocketAddress> served() {
      return PrometheusWatchMetrics.this.served();
    }

    /** The run's metrics are closed once, by the run. */
    @Override
    public void close() {}
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
