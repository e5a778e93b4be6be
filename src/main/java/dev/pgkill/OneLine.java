package dev.pgkill;

/**
 * Makes text from the server or the driver safe to print on one line of a terminal: line breaks
 * (and the white space around them) become one space, and any other control character is shown
 * as an escape. Any client can put an escape sequence into its application_name or query, and
 * pgkill must never let one drive a DBA's terminal.
 */
public final class OneLine {
  private OneLine() {}

  public static String of(String text) {
    return UsageError.oneLine(text.strip().replaceAll("\\s*\\R\\s*", " "));
  }
}
