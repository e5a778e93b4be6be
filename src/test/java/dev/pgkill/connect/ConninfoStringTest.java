package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.testing.Hostile;
import dev.pgkill.text.UsageError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConninfoStringTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("host=db1 port=5433", Map.of("host", "db1", "port", "5433")),
        Arguments.of("  host = db1\tdbname =  'my db'  ", Map.of("host", "db1", "dbname", "my db")),
        Arguments.of("password='it\\'s a \\\\ secret'", Map.of("password", "it's a \\ secret")),
        Arguments.of("user=a\\ b", Map.of("user", "a b")),
        Arguments.of("dbname=''", Map.of("dbname", "")),
        Arguments.of("host=a host=b", Map.of("host", "b")),
        Arguments.of("options='-c work_mem=64MB'", Map.of("options", "-c work_mem=64MB")),
        Arguments.of("dbname=x\\", Map.of("dbname", "x")),
        Arguments.of(
            "host=a,b port=1,2 target_session_attrs=read-write",
            Map.of("host", "a,b", "port", "1,2", "target_session_attrs", "read-write")),
        Arguments.of("", Map.of()));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesWhatLibpqParses(String text, Map<String, String> expected) {
    assertThat(ConninfoString.parse(text)).isEqualTo(expected);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("host", "missing \"=\" after \"host\""),
        Arguments.of("host db1", "missing \"=\" after \"host\""),
        Arguments.of("host='db1", "unterminated quoted string"),
        Arguments.of("foo=bar", "invalid connection option \"foo\""),
        Arguments.of("host=a =b", "invalid connection option \"\""),
        Arguments.of("Host=a", "invalid connection option \"Host\""));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedStringIsAOneLineUsageErrorNamingIt(String text, String reason) {
    assertThatThrownBy(() -> ConninfoString.parse(text))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid connection string \"" + text + "\": " + reason);
  }

  @ParameterizedTest
  @MethodSource("secrets")
  void errorNeverShowsThePassword(String text) {
    assertThatThrownBy(() -> ConninfoString.parse(text))
        .isInstanceOf(UsageError.class)
        .message()
        .doesNotContain("hunter2")
        .contains("***");
  }

  static Stream<String> secrets() {
    return Stream.of(
        "password=hunter2 bogus=1", "password='hunter2 x' bogus=1", "password = 'hunter2");
  }

  @ParameterizedTest
  @MethodSource("lookAlikes")
  void onlyADbnameWithAnEqualsSignIsAConnectionString(String dbname, boolean expected) {
    assertThat(ConninfoString.looksLikeOne(dbname)).isEqualTo(expected);
  }

  static Stream<Arguments> lookAlikes() {
    return Stream.of(
        Arguments.of("postgres", false), Arguments.of("host=x", true), Arguments.of("a=", true));
  }

  // Properties (jqwik)

  /** White space as Character.isWhitespace sees it, which is what separates conninfo words. */
  private static final String SPACE = " \t\n\r\f\u000b\u2003";

  /** Letters no message text or keyword has: a password made of them cannot show by chance. */
  static final String SECRET = "ÆØÅæøåÞþ";

  @Property(tries = 300)
  void connectionStringBuiltWithLibpqQuotingParsesBackToItsValues(
      @ForAll("settings") Map<String, String> settings,
      @ForAll("quoting") List<Boolean> quoted,
      @ForAll("spaces") List<String> spaces) {
    StringBuilder text = new StringBuilder(spaces.get(0));
    int i = 0;
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      boolean quote = quoted.get(i % quoted.size()) || setting.getValue().isEmpty();
      String space = spaces.get(++i % spaces.size());
      text.append(setting.getKey())
          .append(space)
          .append('=')
          .append(space)
          .append(quote ? quoted(setting.getValue()) : escaped(setting.getValue()))
          .append(' ')
          .append(space);
    }

    assertThat(ConninfoString.parse(text.toString())).isEqualTo(settings);
  }

  @Property(tries = 500)
  void anyTextIsSettingsOrAOneLineUsageError(@ForAll("texts") String text) {
    Map<String, String> settings = Hostile.parseOrUsageError(() -> ConninfoString.parse(text));
    if (settings != null) {
      assertThat(settings.keySet()).allMatch(Keywords::known);
    }
  }

  @Property(tries = 300)
  void aPasswordNeverShowsInTheErrorOfAMalformedString(
      @ForAll("passwords") String password,
      @ForAll boolean quote,
      @ForAll("spaces") List<String> spaces,
      @ForAll("malformations") String malformation,
      @ForAll boolean malformationFirst) {
    String space = spaces.get(0);
    String setting =
        "password" + space + "=" + space + (quote ? quoted(password) : escaped(password));
    // An unterminated quote swallows what follows it, so that one only goes last.
    String text =
        malformationFirst && !malformation.contains("'")
            ? malformation + " " + setting
            : setting + " " + malformation;

    try {
      ConninfoString.parse(text);
      throw new AssertionError("parsed " + text);
    } catch (UsageError e) {
      assertThat(e.getMessage()).doesNotContainPattern("[" + SECRET + "]");
    }
  }

  /** libpq's quoting: in single quotes, with {@code '} and {@code \} escaped by a backslash. */
  static String quoted(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Without quotes: a backslash before each backslash, quote and white-space character. */
  static String escaped(String value) {
    StringBuilder escaped = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '\'' || Character.isWhitespace(c)) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  @Provide
  Arbitrary<Map<String, String>> settings() {
    return Arbitraries.maps(
            Arbitraries.of(List.copyOf(Keywords.ALL)),
            Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withChars("a=' \\#\n").ofMaxLength(10)))
        .ofMaxSize(8)
        .map(LinkedHashMap::new);
  }

  @Provide
  Arbitrary<List<Boolean>> quoting() {
    return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<String>> spaces() {
    return Arbitraries.strings().withChars(SPACE).ofMaxLength(3).list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Hostile.text(),
        Hostile.near("hostpr=' \\", 40),
        Combinators.combine(Arbitraries.of(List.copyOf(Keywords.ALL)), Hostile.near("a=' \\", 10))
            .as((keyword, value) -> keyword + "=" + value));
  }

  @Provide
  Arbitrary<String> passwords() {
    // Secret letters with what quoting must survive: spaces, quotes, backslashes, =, #.
    return Arbitraries.strings()
        .withChars(SECRET + " '\\=#")
        .ofMinLength(1)
        .ofMaxLength(16)
        .filter(p -> p.chars().anyMatch(c -> SECRET.indexOf(c) >= 0));
  }

  @Provide
  Arbitrary<String> malformations() {
    return Arbitraries.of("bogus=1", "host", "Host=a", "=b", "dbname='unterminated", "port = 'x");
  }
}
