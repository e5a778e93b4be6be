package dev.pgkill.connect;

import dev.pgkill.text.UsageError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a libpq {@code key=value} connection string: keywords separated by white space, white
 * space allowed around {@code =}, values in single quotes when they hold white space or are empty,
 * and a backslash escaping the next character (inside quotes and out). A keyword given twice keeps
 * the last value, as in libpq.
 */
final class ConninfoString {
  private final String text;
  private int at;

  private ConninfoString(String text) {
    this.text = text;
  }

  /** Whether libpq would read this {@code dbname} as a connection string rather than a name. */
  static boolean looksLikeOne(String dbname) {
    return dbname.indexOf('=') >= 0;
  }

  static Map<String, String> parse(String text) {
    return new ConninfoString(text).parse();
  }

  private Map<String, String> parse() {
    Map<String, String> values = new LinkedHashMap<>();
    while (true) {
      skipSpace();
      if (at == text.length()) {
        return values;
      }
      int start = at;
      while (at < text.length()
          && text.charAt(at) != '='
          && !Character.isWhitespace(text.charAt(at))) {
        at++;
      }
      String keyword = text.substring(start, at);
      skipSpace();
      if (at == text.length() || text.charAt(at) != '=') {
        throw error("missing \"=\" after \"" + keyword + "\"");
      }
      at++;
      skipSpace();
      String value = at < text.length() && text.charAt(at) == '\'' ? quoted() : unquoted();
      if (!Keywords.known(keyword)) {
        throw error("invalid connection option \"" + keyword + "\"");
      }
      values.put(keyword, value);
    }
  }

  private String quoted() {
    StringBuilder value = new StringBuilder();
    at++;
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '\'') {
        return value.toString();
      }
      if (c == '\\' && at < text.length()) {
        c = text.charAt(at++);
      }
      value.append(c);
    }
    throw error("unterminated quoted string");
  }

  private String unquoted() {
    StringBuilder value = new StringBuilder();
    while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
      char c = text.charAt(at++);
      if (c == '\\') {
        if (at == text.length()) {
          break; // libpq drops a trailing backslash
        }
        c = text.charAt(at++);
      }
      value.append(c);
    }
    return value.toString();
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private UsageError error(String reason) {
    return new UsageError("invalid connection string \"" + redact(text) + "\": " + reason);
  }

  /**
   * The string with any password value replaced, so that an error can show the rest of it. White
   * space is what the parser takes for it (Character.isWhitespace), and an escaped character, even
   * a space or a line break, is part of the value, quoted or not.
   */
  static String redact(String text) {
    return text.replaceAll(
        "(?s)(password\\p{javaWhitespace}*=\\p{javaWhitespace}*)"
            + "('(?:[^'\\\\]|\\\\.)*'?|(?:\\\\.|\\P{javaWhitespace})*)",
        "$1***");
  }
}
