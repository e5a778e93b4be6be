package dev.pgkill.text;

/**
 * The one place that makes untrusted text safe to print. Any client can put an escape sequence or a
 * line break into its application_name or query, and a user can type one into an argument: none
 * may drive a DBA's terminal or split a one-line message.
 */
public final class SafeText {
  /** How much of a user's input an error message quotes. */
  private static final int QUOTED_LENGTH = 40;

  private SafeText() {}

  /**
   * The text with line breaks and control characters shown as escapes ({@code \x0a}, {@code
   * \u2028}), every character of it kept.
   */
  public static String escaped(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        shown.append(String.format("\\x%02x", (int) c));
      } else if (c == '\u2028' || c == '\u2029') {
        shown.append(String.format("\\u%04x", (int) c));
      } else {
        shown.append(c);
      }
    }
    return shown.toString();
  }

  /**
   * Text from the server or the driver on one line: line breaks (and the white space around them)
   * become one space, any other control character an escape.
   */
  public static String oneLine(String text) {
    return escaped(text.strip().replaceAll("\\s*\\R\\s*", " "));
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
