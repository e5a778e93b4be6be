package dev.pgkill.select;

import dev.pgkill.text.SafeText;

/**
 * Text from the server written as an SQL string literal a DBA can paste into psql as is: {@code
 * 'it''s'}, or {@code E'...'} with escapes when the text holds a backslash (which {@code '...'}
 * reads as itself only under standard_conforming_strings) or a character a terminal would act on or
 * not show: a control character, a line or paragraph separator, an invisible format character such
 * as a bidirectional override. Either way the literal is one printable line.
 */
public final class SqlLiteral {
  private SqlLiteral() {}

  public static String of(String text) {
    if (text.codePoints().noneMatch(c -> c == '\\' || SafeText.unsafe(c))) {
      return "'" + text.replace("'", "''") + "'";
    }
    StringBuilder literal = new StringBuilder("E'");
    text.codePoints().forEach(c -> literal.append(escaped(c)));
    return literal.append('\'').toString();
  }

  private static String escaped(int c) {
    return switch (c) {
      case '\\' -> "\\\\";
      case '\'' -> "''";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> {
        if (!SafeText.unsafe(c)) {
          yield Character.toString(c);
        }
        // \xHH is one byte, right only for ASCII; above it PostgreSQL takes \\u (a UTF-8 server).
        yield c < 0x80
            ? String.format("\\x%02x", c)
            : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c);
      }
    };
  }
}
