package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.connect.ConnectionRequest.PasswordPrompt;
import dev.pgkill.testing.Hostile;
import dev.pgkill.testing.Scratch;
import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsResolverTest {
  @TempDir Path home;
  @TempDir Path sockets;
  private final Map<String, String> variables = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void noServiceFileOfTheMachine() {
    variables.put("PGSYSCONFDIR", "/nonexistent");
  }

  private ConnectionSettings resolve(String host, String port, String user, String dbname) {
    Environment environment = new Environment(variables, "osuser", home, List.of(sockets));
    return new SettingsResolver(environment, warnings::add)
        .resolve(new ConnectionRequest(host, port, user, dbname, PasswordPrompt.WHEN_NEEDED));
  }

  private ConnectionSettings resolve(String dbname) {
    return resolve(null, null, null, dbname);
  }

  private Path file(String name, String content) throws IOException {
    Path file = Files.writeString(home.resolve(name), content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void withNothingGivenAndNoLocalServerItIsLocalhostTheOsUserAndPostgres() {
    ConnectionSettings settings = resolve(null);

    assertThat(settings.endpoints()).containsExactly(new Endpoint("localhost", 5432));
    assertThat(settings.user()).isEqualTo("osuser");
    assertThat(settings.database()).isEqualTo("postgres");
    assertThat(settings.password()).isNull();
    assertThat(settings.connectTimeoutSeconds()).isEqualTo(10);
    assertThat(settings.tls().mode()).isEqualTo("prefer");
    assertThat(settings.applicationName()).isNull();
    assertThat(settings.targetSessionAttrs()).isEqualTo("any");
  }

  @Test
  void withNoHostALocalServersSocketIsUsedWithoutTls() throws IOException {
    Files.createFile(sockets.resolve(".s.PGSQL.5433"));
    variables.put("PGPORT", "5433");

    ConnectionSettings settings = resolve(null);

    assertThat(settings.endpoints()).containsExactly(new Endpoint(sockets.toString(), 5433));
    assertThat(settings.tls()).isEqualTo(Tls.NONE);
    assertThat(settings).hasToString("host=" + sockets + " port=5433 user=osuser dbname=postgres");
  }

  @Test
  void environmentFillsWhatTheOptionsLeaveOut() {
    variables.putAll(
        Map.of(
            "PGHOST",
            "envhost",
            "PGPORT",
            "6000",
            "PGUSER",
            "envuser",
            "PGDATABASE",
            "envdb",
            "PGPASSWORD",
            "envpw",
            "PGCONNECT_TIMEOUT",
            "1",
            "PGAPPNAME",
            "envapp",
            "PGOPTIONS",
            "-c work_mem=1MB",
            "PGTARGETSESSIONATTRS",
            "read-write",
            "PGSSLMODE",
            "require"));

    ConnectionSettings settings = resolve("clihost", null, "cliuser", null);

    assertThat(settings.endpoints()).containsExactly(new Endpoint("clihost", 6000));
    assertThat(settings.user()).isEqualTo("cliuser");
    assertThat(settings.database()).isEqualTo("envdb");
    assertThat(settings.password()).containsExactly("envpw".toCharArray());
    assertThat(settings.connectTimeoutSeconds()).isEqualTo(2);
    assertThat(settings.applicationName()).isEqualTo("envapp");
    assertThat(settings.options()).isEqualTo("-c work_mem=1MB");
    assertThat(settings.targetSessionAttrs()).isEqualTo("read-write");
    assertThat(settings.tls().mode()).isEqualTo("require");
  }

  @Test
  void connectionStringInDbnameWinsOverOptionsAsInPsql() {
    variables.put("PGHOST", "envhost");

    ConnectionSettings settings =
        resolve("clihost", "1111", "cliuser", "host=connhost dbname=sales");

    assertThat(settings.endpoints()).containsExactly(new Endpoint("connhost", 1111));
    assertThat(settings.user()).isEqualTo("cliuser");
    assertThat(settings.database()).isEqualTo("sales");
  }

  @Test
  void uriInDbnameWinsOverOptionsAndEnvironment() {
    variables.put("PGPASSWORD", "envpw");
    variables.put("PGUSER", "envuser");

    ConnectionSettings settings =
        resolve(
            "clihost", null, null, "postgresql://uriuser:uripw@[::1]:7000/uridb?sslmode=disable");

    assertThat(settings.endpoints()).containsExactly(new Endpoint("::1", 7000));
    assertThat(settings.user()).isEqualTo("uriuser");
    assertThat(settings.password()).containsExactly("uripw".toCharArray());
    assertThat(settings.database()).isEqualTo("uridb");
    assertThat(settings.tls().mode()).isEqualTo("disable");
  }

  @Test
  void serviceWinsOverTheEnvironmentButNotOverOptions() throws IOException {
    Path file =
        file(
            "services.conf",
            "[s]\nhost=svchost\nport=7777\nuser=svcuser\napplication_name=svcapp\n");
    variables.putAll(
        Map.of(
            "PGSERVICEFILE",
            file.toString(),
            "PGSERVICE",
            "s",
            "PGHOST",
            "envhost",
            "PGPORT",
            "6000",
            "PGDATABASE",
            "envdb"));

    ConnectionSettings settings = resolve(null, "1111", null, null);

    assertThat(settings.endpoints()).containsExactly(new Endpoint("svchost", 1111));
    assertThat(settings.user()).isEqualTo("svcuser");
    assertThat(settings.database()).isEqualTo("envdb");
    assertThat(settings.applicationName()).isEqualTo("svcapp");
  }

  @Test
  void serviceIsFoundInTheHomeFileThenInSysconfdir() throws IOException {
    file(".pg_service.conf", "[mine]\nport=1\n");
    Path sysconfdir = Files.createDirectory(home.resolve("etc"));
    Files.writeString(sysconfdir.resolve("pg_service.conf"), "[mine]\nport=2\n[shared]\nport=3\n");
    variables.put("PGSYSCONFDIR", sysconfdir.toString());

    assertThat(resolve("service=mine").endpoints().get(0).port()).isEqualTo(1);
    assertThat(resolve("service=shared").endpoints().get(0).port()).isEqualTo(3);
  }

  @Test
  void unknownServiceIsAUsageError() {
    assertThatThrownBy(() -> resolve("service=nope"))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("definition of service \"nope\" not found");
  }

  @Test
  void passwordFileSuppliesThePasswordWhenNoneWasGiven() throws IOException {
    file(".pgpass", "otherhost:*:*:*:wrong\ndb1:5432:postgres:alice:right\n");

    assertThat(resolve("db1", null, "alice", null).password())
        .containsExactly("right".toCharArray());
    assertThat(warnings).isEmpty();
  }

  @Test
  void givenPasswordWinsOverThePasswordFile() throws IOException {
    file(".pgpass", "*:*:*:*:fromfile\n");
    variables.put("PGPASSWORD", "fromenv");

    assertThat(resolve(null).password()).containsExactly("fromenv".toCharArray());
  }

  @Test
  void pgpassfileNamesThePasswordFile() throws IOException {
    Path file = file("elsewhere", "*:*:*:*:fromelsewhere\n");
    variables.put("PGPASSFILE", file.toString());

    assertThat(resolve(null).password()).containsExactly("fromelsewhere".toCharArray());
  }

  @Test
  void passwordFileOthersCanReadIsIgnoredWithAWarning() throws IOException {
    Path file = file(".pgpass", "*:*:*:*:pw\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(resolve(null).password()).isNull();
    assertThat(warnings).singleElement().asString().contains("has group or world access");
  }

  @Test
  void defaultSocketIsLocalhostInThePasswordFileAnotherSocketItsDirectory() throws IOException {
    Files.createFile(sockets.resolve(".s.PGSQL.5432"));
    file(".pgpass", "localhost:5432:*:*:local\n/run/other:5432:*:*:other\n");

    assertThat(resolve(null).password()).containsExactly("local".toCharArray());
    assertThat(resolve("/run/other", null, null, null).password())
        .containsExactly("other".toCharArray());
  }

  @Test
  void severalHostsWithOnePortOrOnePortEach() {
    assertThat(resolve("host=a,b port=6000").endpoints())
        .containsExactly(new Endpoint("a", 6000), new Endpoint("b", 6000));
    assertThat(resolve("host=a,,c port=1,2,").endpoints())
        .containsExactly(
            new Endpoint("a", 1), new Endpoint("localhost", 2), new Endpoint("c", 5432));
  }

  @Test
  void hostaddrIsWhatIsConnectedTo() {
    assertThat(resolve("host=db1 hostaddr=10.0.0.1").endpoints())
        .containsExactly(new Endpoint("10.0.0.1", 5432));
  }

  @Test
  void requireWithARootCertificateVerifiesItAsLibpqDoes() throws IOException {
    Files.createDirectory(home.resolve(".postgresql"));
    Files.writeString(home.resolve(".postgresql/root.crt"), "");

    assertThat(resolve("sslmode=require").tls().mode()).isEqualTo("verify-ca");
    assertThat(resolve("sslmode=prefer").tls().mode()).isEqualTo("prefer");
  }

  @Test
  void tlsFilesComeFromTheKeywordsElseTheHomeDirectory() throws IOException {
    Path directory = Files.createDirectory(home.resolve(".postgresql"));
    Files.writeString(directory.resolve("postgresql.crt"), "");
    Files.writeString(directory.resolve("postgresql.key"), "");
    variables.put("PGSSLROOTCERT", "/ca.pem");

    assertThat(resolve("sslmode=verify-full sslkey=/k.pem").tls())
        .isEqualTo(
            new Tls(
                "verify-full",
                "/ca.pem",
                directory.resolve("postgresql.crt").toString(),
                "/k.pem"));
  }

  @Test
  void sslrootcertSystemIsOpensslsFileAndVerifyFullUnlessAModeIsGiven() throws IOException {
    Path bundle = file("bundle.pem", "");
    variables.put("SSL_CERT_FILE", bundle.toString());

    assertThat(resolve("host=db sslrootcert=system").tls())
        .isEqualTo(new Tls("verify-full", bundle.toString(), null, null));
    assertThat(resolve("host=db sslrootcert=system sslmode=verify-full").tls().mode())
        .isEqualTo("verify-full");
    for (String weak : List.of("disable", "allow", "prefer", "require", "verify-ca")) {
      assertThatThrownBy(() -> resolve("host=db sslrootcert=system sslmode=" + weak))
          .isInstanceOf(UsageError.class)
          .hasMessage(
              "weak sslmode \""
                  + weak
                  + "\" may not be used with sslrootcert=system"
                  + " (use \"verify-full\")");
    }
  }

  @Test
  void sslrootcertSystemWithoutSslCertFileIsTheSystemsBundle() {
    java.util.Optional<Path> bundle =
        TlsSettings.SYSTEM_ROOT_CERTIFICATES.stream().filter(Files::isRegularFile).findFirst();

    if (bundle.isPresent()) {
      assertThat(resolve("host=db sslrootcert=system").tls().rootCert())
          .isEqualTo(bundle.get().toString());
    } else {
      assertThatThrownBy(() -> resolve("host=db sslrootcert=system"))
          .isInstanceOf(UsageError.class)
          .hasMessageStartingWith("sslrootcert=system: no system root certificates found");
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "notanip",
        "10.0.0.256",
        "1.2.3.4.5",
        "db1.example.com",
        "::1::2",
        "1:2:3:4:5:6:7:8:9",
        "fe80::1%",
        "10.0.0.1 ",
        "12345:1::",
        ""
      })
  void hostaddrThatIsNoNumericAddressIsAUsageError(String hostaddr) {
    variables.put("PGHOSTADDR", hostaddr);

    if (hostaddr.isEmpty()) {
      assertThat(resolve(null).endpoints()).hasSize(1); // empty is unset
      return;
    }
    assertThatThrownBy(() -> resolve(null))
        .isInstanceOf(UsageError.class)
        .hasMessage(
            "invalid hostaddr \""
                + hostaddr
                + "\": not a numeric IPv4 or IPv6 address (a host"
                + " name goes in host)");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "10.0.0.1",
        "127.1",
        "0x7f.0.0.1",
        "0177.0.0.1",
        "2130706433",
        "::1",
        "::",
        "fe80::1%eth0",
        "2001:db8::1",
        "::ffff:10.0.0.1",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:1.2.3.4"
      })
  void hostaddrInAnyFormLibpqReadsIsConnectedTo(String hostaddr) {
    assertThat(resolve("host=db hostaddr=" + hostaddr).endpoints())
        .containsExactly(new Endpoint(hostaddr, 5432));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(null, "70000", null, "invalid port \"70000\": must be from 1 to 65535"),
        Arguments.of(null, "0", null, "invalid port \"0\": must be from 1 to 65535"),
        Arguments.of(null, "54x", null, "invalid port \"54x\": not a whole number"),
        Arguments.of(null, null, "port=1,2", "could not match 2 port numbers to 1 hosts"),
        Arguments.of("a,b,c", "1,2", null, "could not match 2 port numbers to 3 hosts"),
        Arguments.of(
            null,
            null,
            "host=a,b hostaddr=1.2.3.4",
            "could not match 2 host names to 1 hostaddr values"),
        Arguments.of(
            null,
            null,
            "connect_timeout=soon",
            "invalid connect_timeout \"soon\": not a whole number"),
        Arguments.of(
            null,
            null,
            "sslmode=on",
            "invalid sslmode \"on\": one of disable, allow, prefer, require, verify-ca, verify-full"),
        Arguments.of(
            null, null, "target_session_attrs=master", "invalid target_session_attrs \"master\""),
        Arguments.of(null, null, "load_balance_hosts=yes", "invalid load_balance_hosts \"yes\""),
        Arguments.of(
            "/tmp,db2",
            null,
            null,
            "host \"/tmp,db2\": a Unix-socket directory cannot be one of several hosts (give one socket directory, or several TCP hosts)"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedSettingIsAOneLineUsageError(
      String host, String port, String dbname, String message) {
    assertThatThrownBy(() -> resolve(host, port, null, dbname))
        .isInstanceOf(UsageError.class)
        .hasMessage(message);
  }

  @Test
  void malformedEnvironmentVariableIsAUsageErrorToo() {
    variables.put("PGPORT", "five");

    assertThatThrownBy(() -> resolve(null))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid port \"five\": not a whole number");
  }

  /** A service file can hold what no command line can: a NUL byte in a file name. */
  @ParameterizedTest
  @MethodSource("fileNamesWithNul")
  void fileNameNoFileCanHaveIsAUsageErrorNamingTheSetting(String line, String keyword)
      throws IOException {
    file(".pg_service.conf", "[s]\n" + line + "\n");
    variables.put("PGSERVICE", "s");

    assertThatThrownBy(() -> resolve(null))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid " + keyword + " \"")
        .hasMessageContaining("not a file name");
  }

  static Stream<Arguments> fileNamesWithNul() {
    return Stream.of(
        Arguments.of("passfile=/a\0b", "passfile"),
        Arguments.of("host=/a\0b", "host"),
        Arguments.of("sslrootcert=/a\0b\nsslmode=require", "sslrootcert"),
        Arguments.of("sslkey=/a\0b", "sslkey"));
  }

  // Properties (jqwik)

  private static final Scratch SCRATCH = new Scratch();

  /** A password no generated text holds: a character outside the generators' ranges. */
  private static final String SECRET = "s\ud83d\udd11cret";

  @AfterContainer
  static void removeScratch() {
    SCRATCH.close();
  }

  @Property(tries = 400)
  void anyOptionsEnvironmentAndServiceFileResolveOrGiveAOneLineUsageErrorWithoutThePassword(
      @ForAll("requests") ConnectionRequest request,
      @ForAll("environments") Map<String, String> variables,
      @ForAll("serviceFiles") String serviceFile) {
    Path services = SCRATCH.write("pg_service.conf", serviceFile.getBytes(StandardCharsets.UTF_8));
    Map<String, String> all = new HashMap<>(variables);
    all.putIfAbsent("PGSERVICEFILE", services.toString());
    all.putIfAbsent("PGSYSCONFDIR", "/nonexistent");
    Environment environment =
        new Environment(all, "osuser", SCRATCH.directory(), List.of(SCRATCH.directory()));

    try {
      ConnectionSettings settings = new SettingsResolver(environment, w -> {}).resolve(request);
      assertThat(settings.endpoints()).isNotEmpty();
      assertThat(settings.toString()).doesNotContain(SECRET);
    } catch (UsageError e) {
      Hostile.assertOneLine(e.getMessage());
      assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("\ud83d");
    }
  }

  /** What a command line or an environment can hold: no NUL, no lone surrogate. */
  private static Arbitrary<String> argument(String alphabet) {
    return Arbitraries.oneOf(Hostile.text(), Hostile.near(alphabet, 30))
        .map(s -> s.replaceAll("[\\x00\\ud800-\\udfff]", ""));
  }

  @Provide
  Arbitrary<ConnectionRequest> requests() {
    Arbitrary<String> host = argument("/,:[]a1.").injectNull(0.3);
    // Mostly no port or a good one: a bad port fails first and would hide later steps.
    Arbitrary<String> port =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just((String) null)),
            Tuple.of(2, Arbitraries.of("5432", "1,2", ",")),
            Tuple.of(1, argument("0123456789,-+ ")));
    Arbitrary<String> user = argument("a ").injectNull(0.5);
    Arbitrary<String> dbname =
        Arbitraries.oneOf(
                argument("=' /:?@%a"),
                argument("=' ").map(s -> "password=" + SECRET + " " + s),
                argument("/:?@%&=a").map(s -> "postgresql://u:" + SECRET + "@" + s),
                Arbitraries.of(List.copyOf(Keywords.ALL))
                    .flatMap(
                        k -> argument(",:/'= a1").map(v -> k + "='" + v.replace("'", "") + "'")))
            .injectNull(0.3);
    return Combinators.combine(host, port, user, dbname)
        .as((h, p, u, d) -> new ConnectionRequest(h, p, u, d, PasswordPrompt.WHEN_NEEDED));
  }

  @Provide
  Arbitrary<Map<String, String>> environments() {
    List<String> names = new ArrayList<>(Keywords.ENVIRONMENT.keySet());
    names.add("PGSERVICE");
    names.add("PGSYSCONFDIR");
    return Arbitraries.maps(
            Arbitraries.of(names),
            Arbitraries.oneOf(
                argument("/,:=a1 "), Arbitraries.of("s", "require", "verify-full", "0", "-1")))
        .ofMaxSize(5)
        .flatMap(
            variables ->
                Arbitraries.of(true, false)
                    .list()
                    .ofSize(2)
                    .map(
                        choices -> {
                          // Half the time the service s of the generated file; half the time a
                          // password, without which the password file is looked for.
                          Map<String, String> all = new HashMap<>(variables);
                          if (choices.get(0)) {
                            all.put("PGSERVICE", "s");
                          }
                          if (choices.get(1)) {
                            all.put("PGPASSWORD", SECRET);
                          }
                          return all;
                        }));
  }

  /** A service {@code s} whose values may hold what only a file can: NUL bytes, anything. */
  @Provide
  Arbitrary<String> serviceFiles() {
    Arbitrary<String> line =
        Combinators.combine(
                Arbitraries.oneOf(
                    Arbitraries.of(
                        "host", "hostaddr", "port", "passfile", "sslmode", "sslrootcert"),
                    Arbitraries.of(List.copyOf(Keywords.ALL)).filter(k -> !k.equals("service"))),
                Arbitraries.oneOf(
                    Hostile.near("/,:a1\u0000", 20), Arbitraries.of("require", "5432", "/tmp")))
            .as((k, v) -> k + "=" + v.replace('\n', ' ').replace('\r', ' '));
    return line.list().ofMaxSize(4).map(lines -> "[s]\n" + String.join("\n", lines) + "\n");
  }
}
