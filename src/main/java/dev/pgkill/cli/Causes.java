package dev.pgkill.cli;

import dev.pgkill.text.SafeText;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code -v} shows of an exception: it and each of its causes on one line apiece, class and
 * message; the stack trace is for {@code -vv}. A driver's message can span lines (a server error's
 * Detail and Where): made one line, as everything pgkill prints is.
 */
final class Causes {
  private Causes() {}

  static List<String> of(Throwable thrown) {
    List<String> lines = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = thrown; t != null && seen.put(t, true) == null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : ": " + SafeText.oneLine(t.getMessage());
      lines.add((t == thrown ? "  " : "  caused by ") + t.getClass().getName() + message);
    }
    return lines;
  }
}
