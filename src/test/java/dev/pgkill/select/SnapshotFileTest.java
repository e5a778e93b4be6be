package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgkill.text.UsageError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotFileTest {
  private static final String FIRST = "2026-11-30T10:00:00.000000Z";
  private static final String SECOND = "2026-11-30T11:00:00.000000Z";

  private static String session(int pid, String capturedAt) {
    return "{\"type\":\"session\",\"pid\":"
        + pid
        + ",\"backend_start\":\"2026-11-30T09:00:00.123456Z\",\"user\":\"app\","
        + "\"database\":\"shop\",\"application\":\"web\",\"client\":\"10.1.2.3\","
        + "\"backend_type\":\"client backend\",\"state\":\"idle\",\"query_start\":null,"
        + "\"xact_start\":null,\"state_change\":\"2026-11-30T09:59:58.000000Z\","
        + "\"query\":\"select 1\",\"xmin_age\":null,\"horizon\":null,\"wait_event_type\":"
        + "\"Client\",\"wait_event\":\"ClientRead\",\"backend_xid\":null,\"query_id\":null,"
        + "\"client_port\":50000,\"client_hostname\":null,\"lock_waiting_ms\":null,"
        + "\"lock_mode\":null,\"lock_type\":null,\"lock_target\":null,\"newest_in_group\":null,"
        + "\"group_sessions\":null,\"captured_at\":\""
        + capturedAt
        + "\",\"blocks\":null,\"cycle\":null}";
  }

  private static final String SUMMARY = "{\"type\":\"summary\",\"version\":2,\"sessions\":2}";

  private static List<Snapshot> read(String text) throws IOException {
    return new SnapshotFile("seen.json").read(new BufferedReader(new StringReader(text)));
  }

  private static UsageError error(String text) {
    return (UsageError) catchError(text);
  }

  private static Throwable catchError(String text) {
    try {
      read(text);
    } catch (UsageError | IOException e) {
      return e;
    }
    throw new AssertionError("no error for:\n" + text);
  }

  @Test
  void theSessionLinesOfOneListingAreOneSnapshotAtTheirCaptureTime() throws IOException {
    List<Snapshot> snapshots =
        read(session(101, FIRST) + "\n" + session(102, FIRST) + "\n" + SUMMARY + "\n");

    assertThat(snapshots).hasSize(1);
    Snapshot snapshot = snapshots.get(0);
    assertThat(snapshot.capturedAt()).isEqualTo(OffsetDateTime.parse(FIRST));
    assertThat(snapshot.sessions()).isEqualTo(2);
    JsonNode rows = new ObjectMapper().readTree(snapshot.rows());
    assertThat(rows.get(0).get("pid").asInt()).isEqualTo(101);
    assertThat(rows.get(1).get("pid").asInt()).isEqualTo(102);
    assertThat(rows.get(0).get("user").asText()).isEqualTo("app");
    assertThat(rows.get(0).get("client").asText()).isEqualTo("10.1.2.3");
    assertThat(rows.get(0).get("client_port").asInt()).isEqualTo(50000);
    assertThat(rows.get(0).get("state_change").asText()).isEqualTo("2026-11-30T09:59:58.000000Z");
    assertThat(rows.get(0).has("blocks")).as("only the fields a selection reads").isFalse();
    assertThat(rows.get(0).has("query_start")).as("a null is left out").isFalse();
  }

  @Test
  void listingsAppendedOneAfterAnotherAreSnapshotsInTheOrderRecorded() throws IOException {
    List<Snapshot> snapshots =
        read(
            String.join(
                "\n",
                session(101, SECOND),
                SUMMARY,
                "",
                session(101, FIRST),
                session(103, FIRST),
                SUMMARY));

    assertThat(snapshots)
        .extracting(Snapshot::capturedAt)
        .containsExactly(OffsetDateTime.parse(SECOND), OffsetDateTime.parse(FIRST));
    assertThat(snapshots).extracting(Snapshot::sessions).containsExactly(1, 2);
  }

  @Test
  void aListingThatFoundNothingIsNoSnapshot() throws IOException {
    assertThat(read("{\"type\":\"summary\",\"version\":2,\"sessions\":0}\n")).isEmpty();
  }

  @Test
  void aFileWithNoListingInItIsAMistakeNotAnEmptySnapshot() {
    String refused =
        "seen.json: no line of pgkill --list -o json in it (an empty file, or a"
            + " listing that failed)";
    assertThat(error("").getMessage()).isEqualTo(refused);
    assertThat(error("\n\n").getMessage()).isEqualTo(refused);
    assertThat(error("{\"type\":\"error\",\"message\":\"could not connect\"}\n").getMessage())
        .isEqualTo(refused);
  }

  @Test
  void aLineLongerThanAnyListingWritesIsRefusedBeforeItIsRead() {
    String huge = "x".repeat(16 * 1024 * 1024 + 1);

    assertThat(error(SUMMARY + "\n" + huge + "\n").getMessage())
        .isEqualTo("seen.json:2: longer than 16 MB: not a listing's line");
  }

  @Test
  void valuesNoServerHoldsAreNamedBeforeTheServerSeesThem() {
    assertThat(
            error(
                    session(101, FIRST)
                        .replace("\"client_port\":50000", "\"client_port\":99999999999"))
                .getMessage())
        .isEqualTo("seen.json:1: \"client_port\" must be a port, -1 to 65535, or null");
    assertThat(
            error(session(101, FIRST).replace("\"user\":\"app\"", "\"user\":\"a\\u0000b\""))
                .getMessage())
        .isEqualTo("seen.json:1: \"user\" holds a NUL character, which no server text has");
    assertThat(error(session(101, "+10000-01-01T00:00:00Z")).getMessage())
        .isEqualTo(
            "seen.json:1: \"captured_at\" \"+10000-01-01T00:00:00Z\" is out of the years 1 to"
                + " 9999");
  }

  @Test
  void aLineThatIsNotJsonIsNamedByItsLine() {
    assertThat(error(session(101, FIRST) + "\nPID  USER\n").getMessage())
        .isEqualTo("seen.json:2: not a JSON object, as pgkill --list -o json writes one per line");
    assertThat(error("[1, 2]\n").getMessage()).startsWith("seen.json:1: not a JSON object");
  }

  @Test
  void aSessionLineOfAnOlderPgkillSaysItLacksTheCaptureTime() {
    String old = session(101, FIRST).replace(",\"captured_at\":\"" + FIRST + "\"", "");

    assertThat(error(SUMMARY + "\n" + old).getMessage())
        .startsWith("seen.json:2: a session line with no \"captured_at\"");
  }

  @Test
  void aFieldOfTheWrongKindIsNamed() {
    assertThat(error(session(101, "yesterday")).getMessage())
        .isEqualTo(
            "seen.json:1: \"captured_at\" \"yesterday\" is not a time such as"
                + " 2026-01-31T12:00:00.000000Z");
    assertThat(error(session(101, FIRST).replace("\"pid\":101", "\"pid\":\"101\"")).getMessage())
        .isEqualTo("seen.json:1: a session line needs \"pid\", a PID");
    assertThat(
            error(session(101, FIRST).replace("\"client_port\":50000", "\"client_port\":\"x\""))
                .getMessage())
        .isEqualTo("seen.json:1: \"client_port\" must be a whole number or null");
    assertThat(error(session(101, FIRST).replace("\"user\":\"app\"", "\"user\":7")).getMessage())
        .isEqualTo("seen.json:1: \"user\" must be a string or null");
    assertThat(error(session(101, FIRST).replace("10.1.2.3", "10.1.2.300")).getMessage())
        .isEqualTo("seen.json:1: \"client\" \"10.1.2.300\" is neither an address nor local");
  }

  @Test
  void anAuditTrailLineIsRefusedWithTheReason() {
    String audit =
        "{\"time\":\"2026-11-30T10:00:00.000000Z\",\"os_user\":\"dba\",\"pid\":101,"
            + "\"session\":{\"pid\":101,\"user\":\"app\"},\"action\":\"terminate\","
            + "\"decision\":\"signalled\"}";

    assertThat(error(audit).getMessage())
        .startsWith("seen.json:1: an audit trail line: it records neither every field");
  }

  @Test
  void aLineOfAnotherKindIsRefused() {
    assertThat(error("{\"type\":\"target\",\"pid\":101}").getMessage())
        .isEqualTo(
            "seen.json:1: a line of type \"target\": not one of a listing (pgkill --list -o"
                + " json)");
    assertThat(error("{\"pid\":101}").getMessage())
        .isEqualTo("seen.json:1: no \"type\": not a line of pgkill --list -o json");
  }

  @Test
  void aLocalClientIsKept() throws IOException {
    Snapshot snapshot =
        read(session(101, FIRST).replace("\"10.1.2.3\"", "\"local\"").replace("50000", "-1"))
            .get(0);

    assertThat(snapshot.rows()).contains("\"client\":\"local\"", "\"client_port\":-1");
  }
}
