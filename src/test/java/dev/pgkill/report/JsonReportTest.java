package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.LockWait;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportTest {

  private static String report() {
    StringWriter out = new StringWriter();
    new JsonReport(new PrintWriter(out), new PrintWriter(new StringWriter()))
        .outcomes(TextReportTest.ESCALATED, TextReportTest.everyResult());
    return out.toString();
  }

  @Test
  void everyResultAsTheGoldenFileShowsIt() throws IOException {
    assertThat(report()).isEqualTo(TextReportTest.golden("json-report.jsonl"));
  }

  @Test
  void everyLineIsOneObjectWithTheDocumentedFieldsInOrder() throws IOException {
    List<String> lines = report().lines().toList();
    List<String> targetFields =
        List.of(
            "type",
            "pid",
            "backend_start",
            "user",
            "database",
            "application",
            "client",
            "backend_type",
            "state",
            "query_start",
            "xact_start",
            "state_change",
            "query",
            "xmin_age",
            "horizon",
            "wait_event_type",
            "wait_event",
            "backend_xid",
            "query_id",
            "client_port",
            "client_hostname",
            "lock_waiting_ms",
            "lock_mode",
            "lock_type",
            "lock_target",
            "newest_in_group",
            "group_sessions",
            "action",
            "signalled",
            "outcome",
            "result_text",
            "sqlstate",
            "message",
            "detail",
            "wait",
            "waited_ms",
            "escalation");
    for (String line : lines.subList(0, lines.size() - 1)) {
      assertThat(fieldNames(line)).isEqualTo(targetFields);
    }
    assertThat(fieldNames(lines.get(lines.size() - 1)))
        .containsExactly(
            "type",
            "version",
            "action",
            "dry_run",
            "targets",
            "signalled",
            "would_signal",
            "not_signalled",
            "ended",
            "ended_by_itself",
            "nothing_to_cancel",
            "needed_terminate");
  }

  @Test
  void listedSessionsEndWithACount() {
    StringWriter out = new StringWriter();
    new JsonReport(new PrintWriter(out), new PrintWriter(new StringWriter())).sessions(List.of());

    assertThat(out.toString()).isEqualTo("{\"type\":\"summary\",\"version\":2,\"sessions\":0}\n");
  }

  @Test
  void messageIsOnlyEverTheServersWordsAndResultTextIsPgkills() {
    List<String> lines = report().lines().toList();

    assertThat(lines.get(0))
        .contains("\"result_text\":\"signalled (pg_cancel_backend returned true)\"")
        .contains("\"message\":null");
    assertThat(lines.get(1))
        .contains("\"result_text\":\"not signalled: ERROR 42501: permission denied to cancel query")
        .contains("\"message\":\"permission denied to cancel query\"");
  }

  @Test
  void aHiddenQueryIsNullLikeEveryOtherHiddenField() {
    String unverifiable =
        report().lines().filter(l -> l.contains("\"pid\":4249")).findFirst().orElseThrow();

    assertThat(unverifiable).contains("\"query\":null", "\"state\":null");
  }

  @Test
  void aPreparedTransactionBlocksTheSameObjectsASessionDoes() throws IOException {
    LockWait waiter =
        new LockWait(7, "app", "active", "select 1", java.time.Duration.ofMillis(1500), List.of(0));
    LockWait hidden =
        new LockWait(
            8,
            "other",
            null,
            "<insufficient privilege>",
            java.time.Duration.ofMillis(900),
            List.of(7));
    PreparedBlocker blocker = new PreparedBlocker("tx-1", "alice", "shop", List.of(7));
    LockGraph locks = new LockGraph(List.of(waiter, hidden), List.of(blocker));
    StringWriter out = new StringWriter();
    new JsonReport(new PrintWriter(out), new PrintWriter(new StringWriter()))
        .preparedBlockers(List.of(blocker), locks);

    String line = out.toString();
    assertThat(fieldNames(line))
        .containsExactly("type", "gid", "owner", "database", "blocks", "hint");
    assertThat(line)
        .isEqualTo(
            "{\"type\":\"prepared_transaction\",\"gid\":\"tx-1\",\"owner\":\"alice\","
                + "\"database\":\"shop\",\"blocks\":[{\"pid\":7,\"user\":\"app\",\"state\":\"active\","
                + "\"query\":\"select 1\",\"waiting_ms\":1500,\"lock_mode\":null,\"lock_type\":null,"
                + "\"lock_target\":null,\"blocks\":[{\"pid\":8,\"user\":\"other\","
                + "\"state\":null,\"query\":null,\"waiting_ms\":900,\"lock_mode\":null,"
                + "\"lock_type\":null,\"lock_target\":null,\"blocks\":[]}]}],"
                + "\"hint\":\"ROLLBACK PREPARED 'tx-1'\"}\n");
  }

  private static List<String> fieldNames(String line) throws IOException {
    try (JsonParser parser = new JsonFactory().createParser(line)) {
      assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      java.util.ArrayList<String> names = new java.util.ArrayList<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        names.add(parser.currentName());
        parser.nextToken();
        parser.skipChildren();
      }
      assertThat(parser.nextToken()).as("one object per line").isNull();
      return names;
    }
  }
}
