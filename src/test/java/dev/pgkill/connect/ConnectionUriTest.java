package dev.pgkill.connect;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.testing.Hostile;
import dev.pgkill.text.UsageError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionUriTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("postgresql://", Map.of()),
        Arguments.of("postgres://db1", Map.of("host", "db1")),
        Arguments.of(
            "postgresql://db1:5433/sales",
            Map.of("host", "db1", "port", "5433", "dbname", "sales")),
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
        Arguments.of(
            "postgresql://[::1]:5432/db", Map.of("host", "::1", "port", "5432", "dbname", "db")),
        Arguments.of(
            "postgresql://[2001:db8::7],h2/db", Map.of("host", "2001:db8::7,h2", "dbname", "db")),
        Arguments.of(
            "postgresql://h1:5433,h2/db", Map.of("host", "h1,h2", "port", "5433,", "dbname", "db")),
        Arguments.of(
            "postgresql:///db?host=%2Fvar%2Frun%2Fpostgresql",
            Map.of("host", "/var/run/postgresql", "dbname", "db")),
        Arguments.of("postgresql://%2Ftmp/db", Map.of("host", "/tmp", "dbname", "db")),
        Arguments.of(
            "postgresql://h/db?ssl=true",
            Map.of("host", "h", "dbname", "db", "sslmode", "require")),
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
        Arguments.of(
            "postgresql://[::1]x/db", "unexpected \"x\" after the IPv6 address (expected \":\")"),
        Arguments.of("postgresql://h/db?foo=bar", "invalid query parameter \"foo\""),
        Arguments.of(
            "postgresql://h/db?sslmode", "missing \"=\" in the query parameter \"sslmode\""),
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

  // Properties (jqwik)

  /** The parts of a URI, unencoded; the expected keywords follow libpq's URI rules. */
  record Parts(
      String user,
      String password,
      List<String> hosts,
      List<String> ports,
      String dbname,
      Map<String, String> parameters) {

    String uri() {
      StringBuilder uri = new StringBuilder("postgresql://");
      if (!user.isEmpty() || !password.isEmpty()) {
        uri.append(encode(user));
        if (!password.isEmpty()) {
          uri.append(':').append(encode(password));
        }
        uri.append('@');
      }
      List<String> netlocs = new ArrayList<>();
      for (int i = 0; i < hosts.size(); i++) {
        String host = hosts.get(i);
        String netloc = host.contains(":") ? "[" + host + "]" : encode(host);
        netlocs.add(ports.get(i).isEmpty() ? netloc : netloc + ":" + ports.get(i));
      }
      uri.append(String.join(",", netlocs));
      if (!dbname.isEmpty()) {
        uri.append('/').append(encode(dbname));
      }
      String separator = "?";
      for (Map.Entry<String, String> parameter : parameters.entrySet()) {
        uri.append(separator)
            .append(encode(parameter.getKey()))
            .append('=')
            .append(encode(parameter.getValue()));
        separator = "&";
      }
      return uri.toString();
    }

    Map<String, String> keywords() {
      Map<String, String> keywords = new LinkedHashMap<>();
      putIfNotEmpty(keywords, "user", user);
      putIfNotEmpty(keywords, "password", password);
      if (hosts.stream().anyMatch(h -> !h.isEmpty())) {
        keywords.put("host", String.join(",", hosts));
      }
      if (ports.stream().anyMatch(p -> !p.isEmpty())) {
        keywords.put("port", String.join(",", ports));
      }
      putIfNotEmpty(keywords, "dbname", dbname);
      keywords.putAll(parameters);
      return keywords;
    }

    private static void putIfNotEmpty(Map<String, String> keywords, String key, String value) {
      if (!value.isEmpty()) {
        keywords.put(key, value);
      }
    }
  }

  /** Percent-encodes every byte but RFC 3986's unreserved characters, as a careful script would. */
  static String encode(String text) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
        encoded.append(c);
      } else {
        encoded.append(String.format("%%%02X", b & 0xff));
      }
    }
    return encoded.toString();
  }

  @Property(tries = 300)
  void uriBuiltFromPartsParsesBackToThem(@ForAll("parts") Parts parts) {
    assertThat(ConnectionUri.parse(parts.uri())).as(parts.uri()).isEqualTo(parts.keywords());
  }

  @Property(tries = 500)
  void anyTextAfterThePrefixIsKeywordsOrAOneLineUsageError(@ForAll("texts") String rest) {
    Map<String, String> keywords =
        Hostile.parseOrUsageError(() -> ConnectionUri.parse("postgresql://" + rest));
    if (keywords != null) {
      assertThat(keywords.keySet()).allMatch(Keywords::known);
    }
  }

  @Property(tries = 300)
  void aPasswordNeverShowsInTheErrorOfAMalformedUri(
      @ForAll("secrets") String password,
      @ForAll boolean inQuery,
      @ForAll boolean encoded,
      @ForAll("malformations") String malformation) {
    String secret = encoded ? encode(password) : password;
    String uri =
        inQuery
            ? "postgresql://alice@db1/sales?password=" + secret + "&" + malformation
            : "postgresql://alice:" + secret + "@db1/sales?" + malformation;

    try {
      ConnectionUri.parse(uri);
      throw new AssertionError("parsed " + uri);
    } catch (UsageError e) {
      // Neither the letters nor their UTF-8 bytes: every secret letter encodes as %C3%xx.
      assertThat(e.getMessage())
          .doesNotContainPattern("[" + ConninfoStringTest.SECRET + "]")
          .doesNotContainIgnoringCase("%C3");
    }
  }

  @Provide
  Arbitrary<Parts> parts() {
    Arbitrary<String> any = Arbitraries.strings().withCharRange('\u0001', '\ud7ff').ofMaxLength(12);
    Arbitrary<String> host =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("abcxyz019.-").ofMaxLength(12),
            Arbitraries.of("::1", "2001:db8::7", "fe80::1%25eth0"),
            any.map(s -> "/" + s.replace(":", "")));
    Arbitrary<String> port =
        Arbitraries.oneOf(
            Arbitraries.just(""), Arbitraries.integers().between(1, 65535).map(String::valueOf));
    Arbitrary<List<String>> hosts = host.list().ofMinSize(0).ofMaxSize(3);
    Arbitrary<Map<String, String>> parameters =
        Arbitraries.maps(
                Arbitraries.of(List.copyOf(Keywords.ALL)).filter(k -> !k.equals("password")), any)
            .ofMaxSize(4)
            .map(LinkedHashMap::new);
    return Combinators.combine(any, any, hosts, any, parameters)
        .flatAs(
            (user, password, hostList, dbname, params) ->
                port.list()
                    .ofSize(hostList.size())
                    .map(ports -> new Parts(user, password, hostList, ports, dbname, params)));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Hostile.text(), Hostile.near("a1:@/?&=[],%0Fz", 40), Hostile.near("%[]:@", 6));
  }

  @Provide
  Arbitrary<String> secrets() {
    // Unencoded, a password can hold @, : and space and still be one; & and = only encoded.
    return Arbitraries.strings()
        .withChars(ConninfoStringTest.SECRET + "@: ")
        .ofMinLength(1)
        .ofMaxLength(16)
        .filter(p -> p.chars().anyMatch(c -> ConninfoStringTest.SECRET.indexOf(c) >= 0));
  }

  @Provide
  Arbitrary<String> malformations() {
    return Arbitraries.of(
        "foo=bar", "sslmode", "a=b=c", "dbname=%zz", "dbname=%00", "host=%2", "x%");
  }

  @org.junit.jupiter.api.Test
  void slashInAnUnencodedPasswordIsRefusedWithoutShowingIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ConnectionUri.parse("postgresql://ops:1234/secret@db1/postgres"))
        .isInstanceOf(dev.pgkill.text.UsageError.class)
        .hasMessageStartingWith("invalid connection URI: an @ after the host part")
        .message()
        .doesNotContain("secret", "1234");
  }
}
