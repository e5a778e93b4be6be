package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Outcome.Result;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import dev.pgkill.signal.Waited.Ending;
import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The metrics as a scraper sees them: a real HTTP client against the real server, on port 0. */
class WatchMetricsTest {
  private static final OffsetDateTime STARTED =
      OffsetDateTime.of(2026, 11, 30, 6, 0, 0, 0, ZoneOffset.UTC);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final MetricsAddress ANY_LOCAL_PORT =
      new MetricsAddress(Optional.of("127.0.0.1"), 0);

  private static Session session(int pid) {
    return Session.builder(pid)
        .backendStart(STARTED)
        .user("app")
        .database("shop")
        .application("billing")
        .backendType(Session.CLIENT_BACKEND)
        .state("idle in transaction")
        .query("update invoices set paid = true where id = $1")
        .build();
  }

  private static Outcome outcome(int pid, Action action, Result result) {
    return Outcome.of(Target.of(pid), session(pid), action, result);
  }

  /** A cancel that did not end the query, then the terminate that did. */
  private static Outcome escalated(int pid) {
    return outcome(pid, Action.CANCEL, Result.SIGNALLED)
        .withWaited(new Waited(Ending.STILL_RUNNING, Duration.ofSeconds(30)))
        .withEscalation(
            outcome(pid, Action.TERMINATE, Result.SIGNALLED)
                .withWaited(new Waited(Ending.TERMINATED, Duration.ofMillis(40))));
  }

  private static Outcome denied(int pid) {
    return Outcome.of(
        Target.of(pid),
        session(pid),
        Action.TERMINATE,
        Result.DENIED,
        new ServerMessage("ERROR", "42501", "permission denied to terminate process", null));
  }

  private static HttpResponse<String> get(InetSocketAddress served, String path, String accept)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + served.getPort() + path))
            .timeout(Duration.ofSeconds(10));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static PrometheusText scrape(WatchMetrics metrics)
      throws IOException, InterruptedException {
    HttpResponse<String> response = get(metrics.served().orElseThrow(), "/metrics", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    return PrometheusText.parse(response.body());
  }

  @Test
  void withSeveralServersEachCountsUnderItsOwnServerLabel() throws Exception {
    try (WatchMetrics metrics = WatchMetrics.serveByServer(ANY_LOCAL_PORT)) {
      WatchMetrics db1 = metrics.forServer("db1");
      WatchMetrics db2 = metrics.forServer("db2:5433");

      PrometheusText before = scrape(metrics);
      for (String server : List.of("db1", "db2:5433")) {
        assertThat(before.value("pgkill_passes_total", Map.of("server", server, "status", "ok")))
            .isZero();
        assertThat(before.value("pgkill_server_errors_total", Map.of("server", server))).isZero();
        assertThat(before.value("pgkill_connected", Map.of("server", server))).isZero();
      }

      db1.connected(true);
      db1.ruleApplied("reports", List.of(outcome(4242, Action.CANCEL, Result.SIGNALLED)));
      db1.passCompleted(Instant.parse("2026-11-30T07:00:00Z"));
      db2.serverError();
      db2.passFailed("the server failed");
      db2.close();

      PrometheusText after = scrape(metrics);
      assertThat(after.value("pgkill_connected", Map.of("server", "db1"))).isEqualTo(1);
      assertThat(after.value("pgkill_connected", Map.of("server", "db2:5433"))).isZero();
      assertThat(
              after.value(
                  "pgkill_sessions_total",
                  Map.of("server", "db1", "rule", "reports", "result", "signalled")))
          .isEqualTo(1);
      assertThat(after.samples("pgkill_sessions_total")).hasSize(1);
      assertThat(after.value("pgkill_server_errors_total", Map.of("server", "db2:5433")))
          .isEqualTo(1);
      assertThat(after.value("pgkill_server_errors_total", Map.of("server", "db1"))).isZero();
      assertThat(
              after.value("pgkill_passes_total", Map.of("server", "db2:5433", "status", "failed")))
          .isEqualTo(1);
      assertThat(after.value("pgkill_passes_total", Map.of("server", "db1", "status", "ok")))
          .isEqualTo(1);
      assertThat(metrics.served()).as("one server's close leaves the run's serving").isPresent();
    }
  }

  @Test
  void aScrapeSeesTheCountersMoveAfterEachCall() throws Exception {
    try (WatchMetrics metrics = WatchMetrics.serve(ANY_LOCAL_PORT)) {
      assertThat(metrics.served()).isPresent();
      assertThat(metrics.served().get().getPort()).as("port 0 gave a real port").isPositive();

      PrometheusText before = scrape(metrics);
      assertThat(before.value("pgkill_passes_total", Map.of("status", "ok"))).isZero();
      assertThat(before.value("pgkill_passes_total", Map.of("status", "failed"))).isZero();
      assertThat(before.value("pgkill_server_errors_total", Map.of())).isZero();
      assertThat(before.value("pgkill_connected", Map.of())).isZero();
      assertThat(before.value("pgkill_last_successful_pass_timestamp_seconds", Map.of())).isZero();
      assertThat(before.samples("pgkill_sessions_total")).isEmpty();

      metrics.connected(true);
      metrics.ruleApplied(
          "forgotten-transactions",
          List.of(
              outcome(4242, Action.TERMINATE, Result.SIGNALLED),
              outcome(4243, Action.TERMINATE, Result.SIGNALLED),
              outcome(4244, Action.TERMINATE, Result.GONE),
              denied(4245)));
      metrics.ruleApplied("runaway-reports", List.of(escalated(4300)));
      metrics.ruleApplied("blockers", List.of());
      metrics.passCompleted(Instant.parse("2026-11-30T07:00:00.250Z"));

      PrometheusText after = scrape(metrics);
      assertThat(after.value("pgkill_connected", Map.of())).isEqualTo(1);
      assertThat(after.value("pgkill_passes_total", Map.of("status", "ok"))).isEqualTo(1);
      assertThat(after.value("pgkill_last_successful_pass_timestamp_seconds", Map.of()))
          .isEqualTo(1_796_022_000.25);
      assertThat(
              after.value(
                  "pgkill_sessions_matched_total", Map.of("rule", "forgotten-transactions")))
          .isEqualTo(4);
      assertThat(after.value("pgkill_sessions_matched_total", Map.of("rule", "runaway-reports")))
          .isEqualTo(1);
      assertThat(after.value("pgkill_sessions_matched_total", Map.of("rule", "blockers")))
          .as("a rule that matched nothing still has its series")
          .isZero();
      assertThat(
              after.value(
                  "pgkill_sessions_total",
                  Map.of("rule", "forgotten-transactions", "result", "signalled")))
          .isEqualTo(2);
      assertThat(
              after.value(
                  "pgkill_sessions_total",
                  Map.of("rule", "forgotten-transactions", "result", "gone")))
          .isEqualTo(1);
      assertThat(
              after.value(
                  "pgkill_sessions_total",
                  Map.of("rule", "forgotten-transactions", "result", "denied")))
          .isEqualTo(1);
      assertThat(
              after.value(
                  "pgkill_sessions_total",
                  Map.of("rule", "runaway-reports", "result", "signalled")))
          .as("an escalated session is one session")
          .isEqualTo(1);
      assertThat(
              after.value(
                  "pgkill_signals_total",
                  Map.of("rule", "runaway-reports", "action", "cancel", "result", "signalled")))
          .isEqualTo(1);
      assertThat(
              after.value(
                  "pgkill_signals_total",
                  Map.of("rule", "runaway-reports", "action", "terminate", "result", "signalled")))
          .as("the escalation's terminate is a signal of its own")
          .isEqualTo(1);
      assertThat(
              after.value(
                  "pgkill_waits_total",
                  Map.of("rule", "runaway-reports", "action", "cancel", "wait", "still_running")))
          .isEqualTo(1);
      assertThat(
              after.value(
                  "pgkill_waits_total",
                  Map.of("rule", "runaway-reports", "action", "terminate", "wait", "terminated")))
          .isEqualTo(1);

      metrics.connected(false);
      metrics.serverError();
      metrics.passFailed("connection lost");
      metrics.ruleApplied(
          "forgotten-transactions", List.of(outcome(4246, Action.TERMINATE, Result.SIGNALLED)));

      PrometheusText later = scrape(metrics);
      assertThat(later.value("pgkill_connected", Map.of())).isZero();
      assertThat(later.value("pgkill_server_errors_total", Map.of())).isEqualTo(1);
      assertThat(later.value("pgkill_passes_total", Map.of("status", "failed"))).isEqualTo(1);
      assertThat(later.value("pgkill_passes_total", Map.of("status", "ok"))).isEqualTo(1);
      assertThat(
              later.value(
                  "pgkill_sessions_total",
                  Map.of("rule", "forgotten-transactions", "result", "signalled")))
          .isEqualTo(3);
      assertThat(
              later.value(
                  "pgkill_sessions_matched_total", Map.of("rule", "forgotten-transactions")))
          .isEqualTo(5);
      assertThat(later.value("pgkill_last_successful_pass_timestamp_seconds", Map.of()))
          .as("a failed pass leaves the last good one's time")
          .isEqualTo(1_796_022_000.25);
    }
  }

  @Test
  void everyFamilyHasHelpAndTypeAndNoLabelCarriesASession() throws Exception {
    try (WatchMetrics metrics = WatchMetrics.serve(ANY_LOCAL_PORT)) {
      metrics.ruleApplied("runaway-reports", List.of(escalated(4300), denied(4301)));
      metrics.passCompleted(Instant.now());

      PrometheusText text = scrape(metrics);

      assertThat(text.families())
          .containsOnlyKeys(
              "pgkill_passes_total",
              "pgkill_last_successful_pass_timestamp_seconds",
              "pgkill_server_errors_total",
              "pgkill_connected",
              "pgkill_sessions_matched_total",
              "pgkill_sessions_total",
              "pgkill_signals_total",
              "pgkill_waits_total");
      text.families()
          .forEach(
              (name, family) -> {
                assertThat(family.help()).as(name).isNotBlank();
                assertThat(family.type())
                    .as(name)
                    .isEqualTo(name.endsWith("_total") ? "counter" : "gauge");
              });
      assertThat(text.samples())
          .allSatisfy(
              sample ->
                  assertThat(sample.labels().keySet())
                      .isSubsetOf("status", "rule", "result", "action", "wait"))
          .allSatisfy(
              sample ->
                  assertThat(sample.labels().values())
                      .noneMatch(value -> value.contains("4300") || value.contains("invoices")));
    }
  }

  @Test
  void aRuleNameWithAQuoteABackslashAndANewLineIsEscaped() throws Exception {
    String rule = "say \"no\" to C:\\temp\nnow";
    try (WatchMetrics metrics = WatchMetrics.serve(ANY_LOCAL_PORT)) {
      metrics.ruleApplied(rule, List.of(outcome(4242, Action.CANCEL, Result.SIGNALLED)));

      HttpResponse<String> response = get(metrics.served().orElseThrow(), "/metrics", null);

      assertThat(response.body())
          .contains("pgkill_sessions_matched_total{rule=\"say \\\"no\\\" to C:\\\\temp\\nnow\"} 1");
      PrometheusText text = PrometheusText.parse(response.body());
      assertThat(text.value("pgkill_sessions_matched_total", Map.of("rule", rule))).isEqualTo(1);
      assertThat(
              text.value(
                  "pgkill_signals_total",
                  Map.of("rule", rule, "action", "cancel", "result", "signalled")))
          .isEqualTo(1);
    }
  }

  @Test
  void resultsAreTheOutcomeWordsOfTheJsonReport() throws Exception {
    List<Outcome> every = new ArrayList<>();
    int pid = 5000;
    for (Result result : Result.values()) {
      every.add(outcome(++pid, Action.CANCEL, result));
    }
    for (Ending ending : Ending.values()) {
      every.add(
          outcome(++pid, Action.TERMINATE, Result.SIGNALLED)
              .withWaited(new Waited(ending, Duration.ofSeconds(1))));
    }
    StringWriter json = new StringWriter();
    new JsonReport(new PrintWriter(json), new PrintWriter(new StringWriter()))
        .outcomes(Asked.signal(Action.CANCEL), every);

    try (WatchMetrics metrics = WatchMetrics.serve(ANY_LOCAL_PORT)) {
      metrics.ruleApplied("every", every);
      PrometheusText text = scrape(metrics);

      assertThat(labels(text, "pgkill_sessions_total", "result"))
          .isEqualTo(jsonWords(json.toString(), "outcome"))
          .hasSize(Result.values().length);
      assertThat(labels(text, "pgkill_waits_total", "wait"))
          .isEqualTo(jsonWords(json.toString(), "wait"))
          .hasSize(Ending.values().length);
    }
  }

  private static Set<String> labels(PrometheusText text, String name, String label) {
    Set<String> words = new TreeSet<>();
    text.samples(name).forEach(sample -> words.add(sample.labels().get(label)));
    return words;
  }

  /** Every value of a string field of the target lines of --output json. */
  private static Set<String> jsonWords(String lines, String field) throws IOException {
    Set<String> words = new TreeSet<>();
    for (String line : lines.split("\n")) {
      try (JsonParser parser = new JsonFactory().createParser(line)) {
        while (parser.nextToken() != null) {
          if (parser.currentToken() == JsonToken.FIELD_NAME
              && parser.currentName().equals(field)
              && parser.nextToken() == JsonToken.VALUE_STRING
              && parser.getParsingContext().getParent().inRoot()) {
            words.add(parser.getText());
          }
        }
      }
    }
    return words;
  }

  @Test
  void prometheusAskingForOpenMetricsGetsIt() throws Exception {
    try (WatchMetrics metrics = WatchMetrics.serve(ANY_LOCAL_PORT)) {
      metrics.passCompleted(Instant.now());

      HttpResponse<String> response =
          get(
              metrics.served().orElseThrow(),
              "/metrics",
              "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
      assertThat(response.body())
          .contains("# TYPE pgkill_passes counter", "pgkill_passes_total{status=\"ok\"} 1.0")
          .endsWith("# EOF\n");
    }
  }

  @Test
  void aPortAlreadyInUseIsOneClearLineNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(
              () -> WatchMetrics.serve(new MetricsAddress(Optional.of("127.0.0.1"), port)))
          .isInstanceOf(UsageError.class)
          .hasMessage(
              "cannot serve metrics on --metrics-port 127.0.0.1:"
                  + port
                  + ": Address already in use");
    }
  }

  @Test
  void aPortTakenOnEveryInterfaceIsOneClearLineToo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> WatchMetrics.serve(new MetricsAddress(Optional.empty(), port)))
          .isInstanceOf(UsageError.class)
          .hasMessage(
              "cannot serve metrics on --metrics-port "
                  + port
                  + " (every interface): Address already in use");
    }
  }

  @Test
  void anAddressNotOfThisHostIsOneClearLine() {
    // 192.0.2.0/24 is TEST-NET-1, never a local address.
    assertThatThrownBy(() -> WatchMetrics.serve(new MetricsAddress(Optional.of("192.0.2.1"), 9187)))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("cannot serve metrics on --metrics-port 192.0.2.1:9187: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void everyInterfaceIsTheDefaultAndAnswersOnLoopback() throws Exception {
    try (WatchMetrics metrics = WatchMetrics.serve(new MetricsAddress(Optional.empty(), 0))) {
      InetSocketAddress served = metrics.served().orElseThrow();

      assertThat(served.getAddress().isAnyLocalAddress()).isTrue();
      assertThat(get(served, "/metrics", null).body()).contains("pgkill_passes_total");
    }
  }

  @Test
  void closedMetricsNoLongerListen() throws Exception {
    WatchMetrics metrics = WatchMetrics.serve(ANY_LOCAL_PORT);
    InetSocketAddress served = metrics.served().orElseThrow();
    assertThat(get(served, "/metrics", null).statusCode()).isEqualTo(200);

    metrics.close();
    metrics.close();

    assertThat(metrics.served()).isEmpty();
    assertThatThrownBy(() -> get(served, "/metrics", null)).isInstanceOf(ConnectException.class);
  }

  @Test
  void withoutAPortNothingIsServedAndEveryCallIsHarmless() {
    try (WatchMetrics metrics = WatchMetrics.none()) {
      metrics.connected(true);
      metrics.ruleApplied("forgotten-transactions", List.of(escalated(4242), denied(4243)));
      metrics.passCompleted(Instant.now());
      metrics.passFailed("connection lost");
      metrics.serverError();

      assertThat(metrics.served()).isEmpty();
    }
  }

  @Test
  void twoRunsInOneJvmCountApart() throws Exception {
    try (WatchMetrics first = WatchMetrics.serve(ANY_LOCAL_PORT);
        WatchMetrics second = WatchMetrics.serve(ANY_LOCAL_PORT)) {
      first.serverError();
      first.serverError();
      second.serverError();

      assertThat(scrape(first).value("pgkill_server_errors_total", Map.of())).isEqualTo(2);
      assertThat(scrape(second).value("pgkill_server_errors_total", Map.of())).isEqualTo(1);
      assertThat(
              Arrays.asList(
                  first.served().orElseThrow().getPort(), second.served().orElseThrow().getPort()))
          .doesNotHaveDuplicates();
    }
  }
}
