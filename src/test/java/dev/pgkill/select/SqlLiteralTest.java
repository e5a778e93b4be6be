package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Hostile;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SqlLiteralTest {

  @Test
  void plainTextIsQuotedWithItsQuotesDoubled() {
    assertThat(SqlLiteral.of("pgkill-tx")).isEqualTo("'pgkill-tx'");
    assertThat(SqlLiteral.of("it's")).isEqualTo("'it''s'");
    assertThat(SqlLiteral.of("")).isEqualTo("''");
    assertThat(SqlLiteral.of("zahlungsläufe 支払い")).isEqualTo("'zahlungsläufe 支払い'");
  }

  @Test
  void controlCharactersAndBackslashesMakeAnEscapeStringLiteral() {
    assertThat(SqlLiteral.of("a\\b")).isEqualTo("E'a\\\\b'");
    assertThat(SqlLiteral.of("\u001b[31mred\nit's\t\r\b\f\u007f"))
        .isEqualTo("E'\\x1b[31mred\\nit''s\\t\\r\\b\\f\\x7f'");
    // Two hex digits always: the next character cannot be read as part of the escape.
    assertThat(SqlLiteral.of("\u0001a")).isEqualTo("E'\\x01a'");
  }

  @Test
  void invisibleCharactersAboveAsciiAreEscapedAsUnicode() {
    assertThat(SqlLiteral.of("a\u0085b\u2028c\u202ed")).isEqualTo("E'a\\u0085b\\u2028c\\u202ed'");
    assertThat(SqlLiteral.of("tag\udb40\udc01")).isEqualTo("E'tag\\U000e0001'");
  }

  @Property
  void anyTextIsOnePrintableLine(@ForAll("text") String text) {
    Hostile.assertOneLine(SqlLiteral.of(text));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> text() {
    return Hostile.text();
  }
}
