package dev.pgkill.select;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what {@code pgkill --list -o json} wrote, one JSON object per line, into the snapshots it
 * holds: the session lines of one listing share their capture time, so lines appended by several
 * runs make several snapshots, in the order first seen. The other lines of a listing (its summary,
 * prepared transactions, a policy's rule headers) are skipped. Any other line is a mistake named by
 * its file and line: a rehearsal on a half-read file would look complete and be wrong.
 */
public final class SnapshotFile {
  /** The fields a session line must have. */
  private static final String PID = "pid";

  private static final String CAPTURED_AT = "captured_at";

  /** The longest line read: a listing's line with a 1 MB query, escaped, is well under it. */
  private static final int MAX_LINE = 16 * 1024 * 1024;

  /** The session fields the rehearsal's statement reads, each checked to be of its kind. */
  private static final Set<String> TIMES =
      Set.of("backend_start", "query_start", "xact_start", "state_change");

  private static final Set<String> NUMBERS = Set.of("client_port", "backend_xid", "query_id");

  private static final Set<String> TEXTS =
      Set.of(
          "user",
          "database",
          "application",
          "client",
          "client_hostname",
          "backend_type",
          "state",
          "query",
          "wait_event_type",
          "wait_event");

  /** The lines of a listing that hold no session. */
  private static final Set<String> OTHER_LINES =
      Set.of("summary", "run", "rule", "prepared_transaction", "horizon_holder", "error");

  private final ObjectMapper json = new ObjectMapper();
  private final String name;

  /**
   * @param name the file as messages name it
   */
  public SnapshotFile(String name) {
    this.name = name;
  }

  /** Every snapshot in the text, in the order first seen; none when it holds no session. */
  public List<Snapshot> read(BufferedReader text) throws IOException {
    Map<Instant, Recorded> snapshots = new LinkedHashMap<>();
    int number = 0;
    boolean listed = false;
    for (String line = nextLine(text, number + 1);
        line != null;
        line = nextLine(text, number + 1)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode recorded = line(number, line);
      String type = recorded.get("type").asText();
      // A listing ends with its summary, even one that found nothing; error lines alone do not.
      listed |= type.equals("summary") || type.equals("session");
      if (type.equals("session")) {
        ObjectNode session = fields(number, recorded);
        OffsetDateTime captured = time(number, recorded, CAPTURED_AT);
        snapshots
            .computeIfAbsent(captured.toInstant(), at -> new Recorded(captured, json))
            .rows()
            .add(session);
      }
    }
    if (!listed) {
      // What a cron listing that could not connect leaves behind: no evidence of no sessions.
      throw new UsageError(
          name
              + ": no line of pgkill --list -o json in it (an empty file, or a listing that"
              + " failed)");
    }
    List<Snapshot> read = new ArrayList<>();
    for (Recorded recorded : snapshots.values()) {
      read.add(
          new Snapshot(recorded.capturedAt(), recorded.rows().toString(), recorded.rows().size()));
    }
    return read;
  }

  /**
   * The next line, or null at the end; a line longer than any listing writes (a query text is at
   * most 1 MB on the server) is refused before it fills the memory.
   */
  private String nextLine(BufferedReader text, int number) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = text.read(); c != -1; c = text.read()) {
      if (c == '\n') {
        return line.toString();
      }
      if (line.length() == MAX_LINE) {
        throw error(
            number, "longer than " + MAX_LINE / (1024 * 1024) + " MB: not a listing's line");
      }
      line.append((char) c);
    }
    return line.length() == 0 ? null : line.toString();
  }

  /** The sessions of one capture time, as they are built. */
  private record Recorded(OffsetDateTime capturedAt, ArrayNode rows) {
    Recorded(OffsetDateTime capturedAt, ObjectMapper json) {
      this(capturedAt, json.createArrayNode());
    }
  }

  /** The line of a listing {@code line} is: a session line, or another a listing writes. */
  private JsonNode line(int number, String line) {
    JsonNode node;
    try {
      node = json.readTree(line);
    } catch (JsonProcessingException e) {
      throw error(number, "not a JSON object, as pgkill --list -o json writes one per line");
    }
    if (node == null || !node.isObject()) {
      throw error(number, "not a JSON object, as pgkill --list -o json writes one per line");
    }
    JsonNode type = node.get("type");
    if (type == null && node.has("decision")) {
      throw error(
          number,
          "an audit trail line: it records neither every field a selection reads (state_change,"
              + " wait events, client port) nor the server's time, so it cannot be rehearsed;"
              + " record sessions with pgkill --list -o json");
    }
    if (type == null || !type.isTextual()) {
      throw error(number, "no \"type\": not a line of pgkill --list -o json");
    }
    if (OTHER_LINES.contains(type.asText())) {
      return node;
    }
    if (!type.asText().equals("session")) {
      throw error(
          number,
          "a line of type "
              + SafeText.quoted(type.asText())
              + ": not one of a listing (pgkill --list -o json)");
    }
    return node;
  }

  /** The fields of a session line the rehearsal reads, each checked to be of its kind. */
  private ObjectNode fields(int number, JsonNode line) {
    ObjectNode session = json.createObjectNode();
    JsonNode pid = line.get(PID);
    if (pid == null || !pid.canConvertToInt() || !pid.isIntegralNumber() || pid.asInt() <= 0) {
      throw error(number, "a session line needs \"pid\", a PID");
    }
    session.put(PID, pid.asInt());
    if (line.get(CAPTURED_AT) == null || line.get(CAPTURED_AT).isNull()) {
      throw error(
          number,
          "a session line with no \"captured_at\": recorded by a pgkill older than --rehearse;"
              + " record it again with pgkill --list -o json");
    }
    for (String field : TIMES) {
      if (present(line, field)) {
        time(number, line, field);
        session.put(field, line.get(field).asText());
      }
    }
    for (String field : NUMBERS) {
      if (present(line, field)) {
        if (!line.get(field).isIntegralNumber() || !line.get(field).canConvertToLong()) {
          throw error(number, "\"" + field + "\" must be a whole number or null");
        }
        session.put(field, line.get(field).asLong());
      }
    }
    if (session.has("client_port")
        && (session.get("client_port").asLong() < -1
            || session.get("client_port").asLong() > 65535)) {
      throw error(number, "\"client_port\" must be a port, -1 to 65535, or null");
    }
    for (String field : TEXTS) {
      if (present(line, field)) {
        if (!line.get(field).isTextual()) {
          throw error(number, "\"" + field + "\" must be a string or null");
        }
        if (line.get(field).asText().indexOf('\0') >= 0) {
          throw error(number, "\"" + field + "\" holds a NUL character, which no server text has");
        }
        session.put(field, line.get(field).asText());
      }
    }
    if (session.has("client")
        && !session.get("client").asText().equals("local")
        && !ClientAddress.isInet(session.get("client").asText())) {
      throw error(
          number,
          "\"client\" "
              + SafeText.quoted(session.get("client").asText())
              + " is neither an address nor local");
    }
    return session;
  }

  private static boolean present(JsonNode line, String field) {
    return line.get(field) != null && !line.get(field).isNull();
  }

  private OffsetDateTime time(int number, JsonNode line, String field) {
    JsonNode value = line.get(field);
    if (value == null || !value.isTextual()) {
      throw error(number, "\"" + field + "\" must be a time such as 2026-01-31T12:00:00.000000Z");
    }
    try {
      OffsetDateTime time = OffsetDateTime.parse(value.asText());
      if (time.getYear() < 1 || time.getYear() > 9999) {
        throw error(
            number,
            "\""
                + field
                + "\" "
                + SafeText.quoted(value.asText())
                + " is out of the years 1 to 9999");
      }
      return time;
    } catch (DateTimeParseException e) {
      throw error(
          number,
          "\""
              + field
              + "\" "
              + SafeText.quoted(value.asText())
              + " is not a time such as 2026-01-31T12:00:00.000000Z");
    }
  }

  private UsageError error(int number, String what) {
    return new UsageError(name + ":" + number + ": " + what);
  }
}
