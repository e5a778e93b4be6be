package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.plugin.AuthenticationRequestType;
import org.postgresql.util.GT;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class ConnectorTest {
  private static final Tls PREFER = new Tls("prefer", "/home/u/.postgresql/root.crt", null, null);

  private static ConnectionSettings settings(
      List<Endpoint> endpoints, String applicationName, String options, Tls tls, String attrs) {
    return new ConnectionSettings(
        endpoints, "alice", "my db", null, 10, applicationName, options, tls, attrs, false);
  }

  private static ConnectionSettings tcp() {
    return settings(List.of(new Endpoint("db1", 5432)), null, null, PREFER, "any");
  }

  @Test
  void ownSessionIsNamedPgkillAndSetsItsTimeoutAndMessageLevel() {
    Properties properties = DriverProperties.properties(tcp());

    assertThat(properties.getProperty("ApplicationName")).isEqualTo("pgkill");
    assertThat(properties.getProperty("options"))
        .isEqualTo(
            "-c statement_timeout=15s -c client_min_messages=warning -c search_path=pg_catalog");
    assertThat(properties.getProperty("connectTimeout")).isEqualTo("10");
    assertThat(properties.getProperty("user")).isEqualTo("alice");
  }

  @Test
  void usersApplicationNameWinsAndUsersOptionsComeBeforePgkillsOwn() {
    Properties properties =
        DriverProperties.properties(
            settings(
                List.of(new Endpoint("db1", 5432)), "nightly", "-c work_mem=1MB", PREFER, "any"));

    assertThat(properties.getProperty("ApplicationName")).isEqualTo("nightly");
    assertThat(properties.getProperty("options"))
        .isEqualTo(
            "-c work_mem=1MB -c statement_timeout=15s -c client_min_messages=warning -c search_path=pg_catalog");
  }

  @Test
  void passwordGoesOnlyToPgkillsAuthenticationPlugin() throws Exception {
    Properties properties =
        DriverProperties.properties(tcp().withPassword("hunter2".toCharArray()));

    assertThat(properties.getProperty("password")).isNull();
    assertThat(properties.getProperty("authenticationPluginClassName"))
        .isEqualTo(ResolvedPassword.class.getName());
    assertThat(new ResolvedPassword(properties).getPassword(null))
        .containsExactly("hunter2".toCharArray());
  }

  @Test
  void withoutAPasswordThePluginHasNoneSoPgjdbcCannotReadPgpassItself() {
    Properties properties = DriverProperties.properties(tcp());

    assertThat(properties.getProperty("authenticationPluginClassName")).isNotNull();
    assertThatThrownBy(
            () -> new ResolvedPassword(properties).getPassword(AuthenticationRequestType.SASL))
        .isInstanceOf(PasswordNeeded.class);
  }

  @Test
  void tlsSettingsArePassedAsPgjdbcNamesThem() {
    Properties properties =
        DriverProperties.properties(
            settings(
                List.of(new Endpoint("db1", 5432)),
                null,
                null,
                new Tls("verify-full", "/ca.pem", "/c.pem", "/k.pem"),
                "any"));

    assertThat(properties)
        .containsEntry("sslmode", "verify-full")
        .containsEntry("sslrootcert", "/ca.pem")
        .containsEntry("sslcert", "/c.pem")
        .containsEntry("sslkey", "/k.pem")
        .containsEntry("sslhostnameverifier", LibpqHostnameVerifier.class.getName());
  }

  @Test
  void socketGoesThroughJunixsocketAtTheSocketFile() {
    Properties properties =
        DriverProperties.properties(
            settings(
                List.of(new Endpoint("/var/run/postgresql", 5433)), null, null, Tls.NONE, "any"));

    assertThat(properties)
        .containsEntry("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg")
        .containsEntry("socketFactoryArg", "/var/run/postgresql/.s.PGSQL.5433")
        .containsEntry("sslmode", "disable");
    assertThat(DriverProperties.properties(tcp())).doesNotContainKey("socketFactory");
  }

  @Test
  void urlListsEveryHostWithBracketsForIpv6AndEncodesTheDatabase() {
    ConnectionSettings settings =
        settings(
            List.of(new Endpoint("db1", 5432), new Endpoint("::1", 5433)),
            null,
            null,
            PREFER,
            "any");

    assertThat(DriverProperties.url(settings))
        .isEqualTo("jdbc:postgresql://db1:5432,[::1]:5433/my+db");
    assertThat(DriverProperties.properties(settings).getProperty("loginTimeout")).isEqualTo("20");
  }

  @Test
  void socketUrlNamesLocalhost() {
    assertThat(
            DriverProperties.url(
                settings(List.of(new Endpoint("/tmp", 5432)), null, null, Tls.NONE, "any")))
        .isEqualTo("jdbc:postgresql://localhost:5432/my+db");
  }

  @ParameterizedTest
  @CsvSource({
    "any, any",
    "read-write, primary",
    "primary, primary",
    "read-only, secondary",
    "standby, secondary",
    "prefer-standby, preferSecondary"
  })
  void targetSessionAttrsBecomeTargetServerType(String attrs, String serverType) {
    Properties properties =
        DriverProperties.properties(
            settings(List.of(new Endpoint("a", 1)), null, null, PREFER, attrs));

    assertThat(properties.getProperty("targetServerType")).isEqualTo(serverType);
  }

  @Test
  void reasonIsOneLine() {
    SQLException e =
        new PSQLException("first line\n  second line", PSQLState.CONNECTION_UNABLE_TO_CONNECT);

    assertThat(FailureReason.reason(tcp(), e)).isEqualTo("first line second line");
  }

  @Test
  void unknownHostIsSaidAsLibpqSaysIt() {
    SQLException e =
        new PSQLException(
            "The connection attempt failed.",
            PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            new java.net.UnknownHostException("db1.invalid"));

    assertThat(FailureReason.reason(tcp(), e))
        .isEqualTo("could not translate host name \"db1.invalid\" to address");
  }

  @Test
  void missingPasswordIsExplained() {
    SQLException e = new PasswordNeeded();

    assertThat(FailureReason.reason(tcp(), e))
        .isEqualTo(
            "the server asked for a password and none was given (PGPASSWORD, ~/.pgpass, -W)");
  }

  @Test
  void gssMayGoWithoutAPasswordSoThePluginDoesNotRefuseIt() throws Exception {
    assertThat(new ResolvedPassword(new Properties()).getPassword(AuthenticationRequestType.GSS))
        .isNull();
  }

  /** pgjdbc's SQLSTATE for this is the one of a missing password: only its words tell. */
  @Test
  void serverWithoutTlsIsSaidAsPsqlSaysItAndIsNoMissingPassword() {
    SQLException e =
        new PSQLException(GT.tr("The server does not support SSL."), PSQLState.CONNECTION_REJECTED);

    assertThat((Object) e).isNotInstanceOf(PasswordNeeded.class);
    assertThat(FailureReason.reason(tcp(), e))
        .isEqualTo("server does not support SSL, but SSL was required");
  }

  /**
   * Only standby, and read-write for a read-only role, are met by ConnectorIT on a real server; the
   * tests make no standby to meet the others. pgjdbc's "primary" also refuses a primary whose
   * session is read-only, so that is said too.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "read-write | primary | session is read-only",
        "primary | primary | server is in hot standby mode or the session is read-only",
        "read-only | secondary | session is not read-only",
        "standby | secondary | server is not in hot standby mode"
      })
  void noServerOfTheTargetTypeIsSaidAsLibpqSaysIt(String attrs, String serverType, String words) {
    SQLException e =
        new PSQLException(
            GT.tr("Could not find a server with specified targetServerType: {0}", serverType),
            PSQLState.CONNECTION_UNABLE_TO_CONNECT);

    assertThat(
            FailureReason.reason(
                settings(List.of(new Endpoint("a", 1)), null, null, PREFER, attrs), e))
        .isEqualTo(words);
  }

  @Test
  void settingsNameWhatWasTriedButNeverThePassword() {
    ConnectionSettings settings =
        settings(List.of(new Endpoint("a", 1), new Endpoint("b", 2)), null, null, PREFER, "any")
            .withPassword("hunter2".toCharArray());

    assertThat(settings).hasToString("host=a,b port=1,2 user=alice dbname=my db");
  }
}
