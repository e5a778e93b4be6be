package dev.pgkill.select;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads ages such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m} or {@code 2d}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final Duration LONGEST = Duration.ofDays(100 * 365);

  private Durations() {}

  public static Duration parse(String option, String text) {
    Matcher part = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    String lastUnit = null;
    while (part.lookingAt()) {
      String unit = part.group(2);
      if (lastUnit != null && rank(unit) >= rank(lastUnit)) {
        throw invalid(option, text, "units must go from largest to smallest, each once");
      }
      total = total.plus(amount(Long.parseLong(part.group(1)), unit));
      lastUnit = unit;
      end = part.end();
      part.region(end, text.length());
    }
    if (lastUnit == null || end != text.length()) {
      throw invalid(option, text, "expected a duration such as 500ms, 30s, 5m, 1h30m or 2d");
    }
    if (total.compareTo(LONGEST) > 0) {
      throw invalid(option, text, "longer than 100 years");
    }
    return total;
  }

  /**
   * A duration as it is typed, {@code 10s}, {@code 1m30s}, {@code 1s500ms}: never {@code PT10S}.
   */
  public static String format(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    StringBuilder text = new StringBuilder();
    long[] sizes = {86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis >= sizes[i]) {
        text.append(millis / sizes[i]).append(units[i]);
        millis %= sizes[i];
      }
    }
    return text.length() == 0 ? "0ms" : text.toString();
  }

  private static int rank(String unit) {
    return switch (unit) {
      case "d" -> 5;
      case "h" -> 4;
      case "m" -> 3;
      case "s" -> 2;
      default -> 1;
    };
  }

  private static Duration amount(long value, String unit) {
    return switch (unit) {
      case "d" -> Duration.ofDays(value);
      case "h" -> Duration.ofHours(value);
      case "m" -> Duration.ofMinutes(value);
      case "s" -> Duration.ofSeconds(value);
      default -> Duration.ofMillis(value);
    };
  }

  private static UsageError invalid(String option, String text, String why) {
    return new UsageError("invalid " + option + " " + SafeText.quoted(text) + ": " + why);
  }
}
