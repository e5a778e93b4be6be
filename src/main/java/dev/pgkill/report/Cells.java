package dev.pgkill.report;

import dev.pgkill.select.Session;
import dev.pgkill.text.SafeText;
import java.time.Duration;

/** How a value reads in a cell of the text report: safe to print, short, "-" when there is none. */
final class Cells {
  static final String NONE = "-";

  private Cells() {}

  /** Names come from any client: a role, database or application name may hold escapes. */
  static String text(String value) {
    return value == null || value.isEmpty() ? NONE : SafeText.oneLine(value);
  }

  /** The age and which horizon it is of: {@code 35 xid} (an open writer) or {@code 35 xmin}. */
  static String xminAge(Session session) {
    if (session.xminAge() == null) {
      return NONE;
    }
    return session.xminAge() + ("backend_xid".equals(session.horizon()) ? " xid" : " xmin");
  }

  /** How long it has waited for which lock: {@code 2s RowExclusiveLock on public.orders}. */
  static String lockWait(Session session) {
    if (session.lockWaiting() == null) {
      return NONE;
    }
    return age(session.lockWaiting())
        + (session.lockWanted() == null ? "" : " " + text(session.lockWanted().described()));
  }

  /** Its place in its group, newest first: {@code 3 of 5}. */
  static String newestInGroup(Session session) {
    if (session.newestInGroup() == null) {
      return NONE;
    }
    return session.newestInGroup() + " of " + session.groupSessions();
  }

  /** {@code 350ms}, {@code 42s}, {@code 5m07s}, {@code 1h02m}, {@code 3d04h}. */
  static String age(Duration age) {
    if (age == null) {
      return NONE;
    }
    long seconds = age.getSeconds();
    if (seconds < 1) {
      return Math.max(0, age.toMillis()) + "ms";
    }
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format("%dm%02ds", seconds / 60, seconds % 60);
    }
    if (seconds < 86400) {
      return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
  }

  /** The start of the query on one line: enough to recognise it, never enough to wrap. */
  static String cut(String query, int width) {
    String line =
        query == null || query.isBlank() ? NONE : SafeText.oneLine(query.replaceAll("\\s+", " "));
    return DisplayWidth.cut(line, width);
  }
}
