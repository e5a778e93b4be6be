package dev.pgkill;

/**
 * A mistake in what the user typed: a bad PID, option value or combination. Reported as one line
 * naming the input, with exit status 2, before anything is signalled.
 */
public final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageError(String message) {
    super(oneLine(message), null, false, false);
  }

  /**
   * The text with line breaks and control characters shown as escapes ({@code \x0a},
   * {@code \u2028}): messages quote what the user typed, and a value holding a newline or an
   * escape sequence must neither split the one-line error nor drive the terminal.
   */
  public static String oneLine(String text) {
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
}
