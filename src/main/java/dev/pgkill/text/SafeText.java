package dev.pgkill.text;

/**
 * The one place that makes untrusted text safe to print. Any client can put an escape sequence or a
 * line break into its application_name or query, and a user can type one into an argument: none may
 * drive a DBA's terminal or split a one-line message.
 */
public final class SafeText {
  /** How much of a user's input an error message quotes. */
  private static final int QUOTED_LENGTH = 40;

  private SafeText() {}

  /**
   * The text with every character a terminal would act on or not show written as an escape: control
   * characters ({@code \x1b}), line and paragraph separators ({@code \u2028}) and invisible format
   * characters such as a bidirectional override ({@code \u202e}); every other character is kept.
   */
  public static String escaped(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                shown.append(String.format("\\x%02x", c));
              } else if (unsafe(c)) {
                shown.append(
                    c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
              } else {
                shown.appendCodePoint(c);
              }
            });
    return shown.toString();
  }

  /**
   * Whether a terminal would act on this character, or not show it: the one test every escaping in
   * pgkill shares, so that a name and a pasteable SQL literal hide nothing from each other.
   */
  public static boolean unsafe(int codePoint) {
    int type = Character.getType(codePoint);
    return Character.isISOControl(codePoint)
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.FORMAT
        || type == Character.SURROGATE;
  }

  /**
   * Text from the server or the driver on one line: line breaks (and the white space around them)
   * become one space, any other control character an escape.
   */
  public static String oneLine(String text) {
    return escaped(joinLines(text.strip()));
  }

  /**
   * What {@code replaceAll("\\s*\\R\\s*", " ")} did, in one pass: that regular expression takes
   * time in the square of a long run of spaces without a line break, and text here can be anyone's.
   */
  static String joinLines(String text) {
    StringBuilder joined = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int run = whiteSpaceEnd(text, i);
      if (run < text.length() && lineBreakOnly(text.charAt(run))) {
        joined.append(' ');
        i = whiteSpaceEnd(text, run + 1);
      } else if (text.substring(i, run).chars().anyMatch(c -> c != ' ' && c != '\t')) {
        joined.append(' ');
        i = run;
      } else if (run > i) {
        joined.append(text, i, run);
        i = run;
      } else {
        joined.append(text.charAt(i++));
      }
    }
    return joined.toString();
  }

  /**
   * Past the run of what {@code \s} matches (space, tab, the ASCII line breaks) from {@code from}.
   */
  private static int whiteSpaceEnd(String text, int from) {
    int end = from;
    while (end < text.length()
        && (" \t\n\f\r".indexOf(text.charAt(end)) >= 0 || text.charAt(end) == 0x0b)) {
      end++;
    }
    return end;
  }

  /** The line breaks {@code \R} matches that {@code \s} does not. */
  private static boolean lineBreakOnly(char c) {
    return c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** A file's path quoted for a message, escaped, and never cut: it must be found again. */
  public static String path(String path) {
    return "\"" + escaped(path) + "\"";
  }

  /** User input quoted for an error message, escaped, and cut when it is long. */
  public static String quoted(String input) {
    StringBuilder shown = new StringBuilder("\"");
    for (int i = 0; i < input.length() && i < QUOTED_LENGTH; i++) {
      char c = input.charAt(i);
      if (c == 0xfffd) {
        shown.append("\\xfd"); // what an invalid UTF-8 byte became
      } else {
        shown.append(c);
      }
    }
    if (input.length() > QUOTED_LENGTH) {
      shown.append("...");
    }
    return escaped(shown.append('"').toString());
  }
}
