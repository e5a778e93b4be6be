package dev.pgkill.connect;

import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection service file ({@code pg_service.conf}): {@code [name]} sections of libpq {@code
 * keyword=value} lines, {@code #} comments. Any libpq keyword may appear (pgjdbc's own reader drops
 * a whole entry over one keyword it does not know, hence this class); a keyword libpq does not
 * know, or a nested {@code service}, is an error naming the file and line, as in libpq.
 */
final class ServiceFile {
  private final Path file;

  ServiceFile(Path file) {
    this.file = file;
  }

  /** The entry's keywords, or empty when the file does not exist or has no such service. */
  Optional<Map<String, String>> find(String service) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = lines();
    Map<String, String> entry = null;
    for (int number = 1; number <= lines.size(); number++) {
      String line = lines.get(number - 1).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        if (entry != null) {
          break;
        }
        if (section(number, line).equals(service)) {
          entry = new LinkedHashMap<>();
        }
      } else if (entry != null) {
        put(entry, number, line);
      }
    }
    return Optional.ofNullable(entry).map(Map::copyOf);
  }

  private List<String> lines() {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageError(
          "could not read service file \""
              + file
              + "\": "
              + (e instanceof CharacterCodingException ? "not UTF-8 text" : e.getMessage()));
    }
  }

  /** The name of the section a {@code [name]} line starts. */
  private String section(int number, String line) {
    if (!line.endsWith("]")) {
      throw error(number, "\"[\" without \"]\"");
    }
    return line.substring(1, line.length() - 1);
  }

  /** One {@code keyword=value} line of the entry; the first of a keyword given twice wins. */
  private void put(Map<String, String> entry, int number, String line) {
    int equals = line.indexOf('=');
    if (equals < 0) {
      throw error(number, "syntax error (expected keyword=value)");
    }
    String keyword = line.substring(0, equals).strip();
    if (keyword.equals("service")) {
      throw error(number, "nested service specifications are not supported");
    }
    if (!Keywords.known(keyword)) {
      throw error(number, "invalid connection option \"" + keyword + "\"");
    }
    entry.putIfAbsent(keyword, line.substring(equals + 1).strip());
  }

  private UsageError error(int line, String reason) {
    return new UsageError("service file \"" + file + "\", line " + line + ": " + reason);
  }
}
