package dev.pgkill.select;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A backend the user named: a PID, and optionally the backend_start it had when the user (or an
 * earlier {@code --output id}) saw it, so that a reused PID is never mistaken for it, and the
 * system identifier of the server it was seen on, so that a list from one server is never replayed
 * against another.
 *
 * @param systemIdentifier {@code pg_control_system()}'s, as the third part of an id token
 */
public record Target(
    int pid, Optional<OffsetDateTime> backendStart, Optional<String> systemIdentifier) {

  public Target {
    if (pid < 1) {
      throw new IllegalArgumentException("PID must be positive: " + pid);
    }
  }

  public Target(int pid, Optional<OffsetDateTime> backendStart) {
    this(pid, backendStart, Optional.empty());
  }

  public static Target of(int pid) {
    return new Target(pid, Optional.empty());
  }

  /**
   * Parses {@code 1234}, {@code 1234@2026-11-25T20:30:54.123456+00:00} or that followed by
   * {@code @SYSTEM_IDENTIFIER}, as {@code --output id} prints it.
   */
  public static Target parse(String token) {
    int at = token.indexOf('@');
    if (at < 0) {
      return of(parsePid(token));
    }
    int pid = parsePid(token.substring(0, at));
    String start = token.substring(at + 1);
    Optional<String> system = Optional.empty();
    int second = start.indexOf('@');
    if (second >= 0) {
      String identifier = start.substring(second + 1);
      if (identifier.isEmpty()
          || identifier.length() > 20
          || !identifier.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new UsageError(
            "invalid system identifier "
                + SafeText.quoted(identifier)
                + " in "
                + SafeText.quoted(token)
                + ": expected PID@BACKEND_START@SYSTEM_IDENTIFIER as --output id prints it, a"
                + " whole number");
      }
      system = Optional.of(identifier);
      start = start.substring(0, second);
    }
    try {
      return new Target(pid, Optional.of(OffsetDateTime.parse(start)), system);
    } catch (DateTimeParseException e) {
      throw new UsageError(
          "invalid backend start "
              + SafeText.quoted(start)
              + " in "
              + SafeText.quoted(token)
              + ": expected PID@ISO-8601 time as --output id prints it, e.g. "
              + "1234@2026-11-25T20:30:54.123456Z");
    }
  }

  private static int parsePid(String text) {
    if (text.isEmpty()) {
      throw new UsageError("invalid PID \"\": empty");
    }
    if (text.startsWith("-") && text.length() > 1 && allDigits(text.substring(1))) {
      throw new UsageError(
          "invalid PID " + SafeText.quoted(text) + ": PIDs are positive whole numbers");
    }
    if (!allDigits(text)) {
      throw new UsageError("invalid PID " + SafeText.quoted(text) + ": not a whole number");
    }
    String digits = text.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
      throw new UsageError(
          "invalid PID "
              + SafeText.quoted(text)
              + ": larger than any PID ("
              + Integer.MAX_VALUE
              + ")");
    }
    int pid = Integer.parseInt(digits);
    if (pid == 0) {
      throw new UsageError("invalid PID " + SafeText.quoted(text) + ": PIDs start at 1");
    }
    return pid;
  }

  private static boolean allDigits(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The token {@code --output id} prints and {@link #parse} reads back. */
  public static String token(int pid, OffsetDateTime backendStart) {
    return new BackendId(pid, backendStart).token();
  }

  /** The token of a backend seen on the server with this system identifier. */
  public static String token(int pid, OffsetDateTime backendStart, String systemIdentifier) {
    return token(pid, backendStart) + "@" + systemIdentifier;
  }

  /** This target without the server it names, for the one server it goes to. */
  public Target onItsServer() {
    return new Target(pid, backendStart);
  }

  /** The backend the user named, when the token carried its backend_start. */
  public Optional<BackendId> backendId() {
    return backendStart.map(start -> new BackendId(pid, start));
  }
}
