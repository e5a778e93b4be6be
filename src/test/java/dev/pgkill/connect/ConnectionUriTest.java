package dev.pgkill.connect;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.UsageError;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionUriTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("postgresql://", Map.of()),
        Arguments.of("postgres://db1", Map.of("host", "db1")),
        Arguments.of("postgresql://db1:5433/sales", Map.of("host", "db1", "port", "5433", "dbname", "sales")),
        Arguments.of(
            "postgresql://al%20ice:p%40ss:w@h1:5433,h2:5434/my%20db"
                + "?sslmode=verify-full&application_name=night%26day&connect_timeout=5",
            Map.ofEntries(
                entry("user", "al ice"),
                entry("password", "p@ss:w"),
                entry("host", "h1,h2"),
                entry("port", "5433,5434"),
                entry("dbname", "my db"),
                entry("sslmode", "verify-full"),
                entry("application_name", "night&day"),
                entry("connect_timeout", "5"))),
        Arguments.of("postgresql://user@", Map.of("user", "user")),
        Arguments.of("postgresql://[::1]:5432/db", Map.of("host", "::1", "port", "5432", "dbname", "db")),
        Arguments.of("postgresql://[2001:db8::7],h2/db", Map.of("host", "2001:db8::7,h2", "dbname", "db")),
        Arguments.of("postgresql://h1:5433,h2/db", Map.of("host", "h1,h2", "port", "5433,", "dbname", "db")),
        Arguments.of(
            "postgresql:///db?host=%2Fvar%2Frun%2Fpostgresql",
            Map.of("host", "/var/run/postgresql", "dbname", "db")),
        Arguments.of("postgresql://%2Ftmp/db", Map.of("host", "/tmp", "dbname", "db")),
        Arguments.of("postgresql://h/db?ssl=true", Map.of("host", "h", "dbname", "db", "sslmode", "require")),
        Arguments.of("postgresql://h?port=6543&", Map.of("host", "h", "port", "6543")),
        Arguments.of("postgresql://h/caf%C3%A9", Map.of("host", "h", "dbname", "café")));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesWhatLibpqParses(String uri, Map<String, String> expected) {
    assertThat(ConnectionUri.parse(uri)).isEqualTo(expected);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("postgresql://[::1/db", "missing \"]\" after the IPv6 address"),
        Arguments.of("postgresql://[]/db", "empty IPv6 address in []"),
        Arguments.of("postgresql://[::1]x/db", "unexpected \"x\" after the IPv6 address (expected \":\")"),
        Arguments.of("postgresql://h/db?foo=bar", "invalid query parameter \"foo\""),
        Arguments.of("postgresql://h/db?sslmode", "missing \"=\" in the query parameter \"sslmode\""),
        Arguments.of("postgresql://h/db?a=b=c", "extra \"=\" in the query parameter \"a=b=c\""),
        Arguments.of("postgresql://h/%zz", "invalid percent-encoding in \"%zz\""),
        Arguments.of("postgresql://h/a%2", "invalid percent-encoding in \"a%2\""),
        Arguments.of("postgresql://h/a%00", "%00 is not allowed"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedUriIsAOneLineUsageErrorNamingIt(String uri, String reason) {
    assertThatThrownBy(() -> ConnectionUri.parse(uri))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid connection URI \"" + uri + "\": " + reason);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://u:hunter2@h/db?bogus=1",
        "postgresql://u:hun%zzter2@h/db",
        "postgresql://h/db?password=hunter2&bogus=1"
      })
  void errorNeverShowsThePassword(String uri) {
    assertThatThrownBy(() -> ConnectionUri.parse(uri))
        .isInstanceOf(UsageError.class)
        .message()
        .doesNotContain("hunter2")
        .doesNotContain("hun%zzter2")
        .contains("***");
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql://h", "postgres://h", "postgresql://"})
  void bothSchemesAreUris(String dbname) {
    assertThat(ConnectionUri.looksLikeOne(dbname)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "jdbc:postgresql://h/db", "mysql://h", "host=h"})
  void otherTextIsNoUri(String dbname) {
    assertThat(ConnectionUri.looksLikeOne(dbname)).isFalse();
  }
}
