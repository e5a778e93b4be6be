package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.UsageError;
import java.util.Map;
import java.util.stream.Stream;
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
        Arguments.of("host=a,b port=1,2 target_session_attrs=read-write",
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
}
