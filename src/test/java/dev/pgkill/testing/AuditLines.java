package dev.pgkill.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An audit file as a test reads it: every line one JSON object, nested objects as maps. */
public final class AuditLines {
  private static final JsonFactory JSON = new JsonFactory();

  private AuditLines() {}

  /** Every line of the file, or a failed test naming the first line that is not one object. */
  public static List<Map<String, Object>> of(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        throw new AssertionError("the audit file does not end with a newline:\n" + text);
      }
      return text.lines().map(AuditLines::line).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line as its fields in order. */
  public static Map<String, Object> line(String line) {
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new AssertionError("not a JSON object: " + line);
      }
      Map<String, Object> fields = object(parser);
      if (parser.nextToken() != null) {
        throw new AssertionError("more than one JSON object on a line: " + line);
      }
      return fields;
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  /** The lines about this PID, in the order they were written. */
  public static List<Map<String, Object>> about(List<Map<String, Object>> lines, int pid) {
    return lines.stream().filter(line -> Integer.valueOf(pid).equals(line.get("pid"))).toList();
  }

  /** An array of strings, as a run's summary lists servers. */
  private static List<Object> array(JsonParser parser) throws IOException {
    List<Object> values = new java.util.ArrayList<>();
    while (parser.nextToken() == JsonToken.VALUE_STRING) {
      values.add(parser.getText());
    }
    return values;
  }

  private static Map<String, Object> object(JsonParser parser) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      fields.put(
          name,
          switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_NULL -> null;
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_STRING -> parser.getText();
            default -> throw new AssertionError("unexpected " + token + " in an audit line");
          });
    }
    return fields;
  }
}
