package dev.pgkill.connect;

import dev.pgkill.text.UsageError;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A setting's text read as what it stands for (a file name, a port, a number of seconds, libpq's
 * comma-separated list), with the usage error psql gives when it cannot be.
 */
final class SettingText {
  private SettingText() {}

  /**
   * A file or directory a setting names. A name no file can have (a NUL byte from a service file,
   * or a character the platform's file-name encoding lacks) is the user's mistake, not pgkill's.
   */
  static Path path(String keyword, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageError(
          "invalid " + keyword + " \"" + value + "\": not a file name (" + e.getReason() + ")");
    }
  }

  static String existing(Path file) {
    return Files.exists(file) ? file.toString() : null;
  }

  static List<String> list(String value) {
    return value == null ? List.of() : Arrays.asList(value.split(",", -1));
  }

  static int port(String text) {
    int port = wholeNumber(text, "port");
    if (port < 1 || port > 65535) {
      throw new UsageError("invalid port \"" + text + "\": must be from 1 to 65535");
    }
    return port;
  }

  /** As libpq: zero or less means wait forever, and 1 second is raised to 2. */
  static int connectTimeout(String text) {
    int seconds = wholeNumber(text, "connect_timeout");
    return seconds <= 0 ? 0 : Math.max(seconds, 2);
  }

  private static int wholeNumber(String text, String what) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new UsageError("invalid " + what + " \"" + text + "\": not a whole number");
    }
  }

  static boolean present(String value) {
    return value != null && !value.isEmpty();
  }
}
