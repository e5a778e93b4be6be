package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
        List.of("type", "pid", "backend_start", "user", "database", "application", "client",
            "backend_type", "state", "query_start", "xact_start", "state_change", "query",
            "xmin_age", "horizon", "action", "signalled", "outcome", "sqlstate", "message",
            "detail", "wait", "waited_ms", "escalation");
    for (String line : lines.subList(0, lines.size() - 1)) {
      assertThat(fieldNames(line)).isEqualTo(targetFields);
    }
    assertThat(fieldNames(lines.get(lines.size() - 1)))
        .containsExactly(
            "type", "action", "dry_run", "targets", "signalled", "would_signal", "not_signalled",
            "ended", "ended_by_itself", "nothing_to_cancel", "needed_terminate");
  }

  @Test
  void listedSessionsEndWithACount() {
    StringWriter out = new StringWriter();
    new JsonReport(new PrintWriter(out), new PrintWriter(new StringWriter())).sessions(List.of());

    assertThat(out.toString()).isEqualTo("{\"type\":\"summary\",\"sessions\":0}\n");
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
