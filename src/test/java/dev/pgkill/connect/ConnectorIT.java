package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgkill.connect.ConnectionRequest.PasswordPrompt;
import dev.pgkill.testing.Certificates;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.helpers.NOPLogger;

/**
 * Connecting to a real server the way psql would: SCRAM roles, the password file, URIs and
 * connection strings, service files, Unix sockets with peer authentication, several hosts.
 */
@ExtendWith(PostgresExtension.class)
class ConnectorIT {
  private final PostgresServer server;
  @TempDir Path home;
  @TempDir Path noSockets;
  private final List<String> warnings = new ArrayList<>();
  private final List<String> prompts = new ArrayList<>();

  ConnectorIT(PostgresServer server) {
    this.server = server;
  }

  /** A role that must give its password (SCRAM) over TCP and over the socket. */
  private String scramRole() throws SQLException {
    String role = server.createRole("scram", "");
    server.prependHba(
        "host all " + role + " all scram-sha-256", "local all " + role + " scram-sha-256");
    return role;
  }

  private Environment environment(Map<String, String> variables) {
    Map<String, String> all = new HashMap<>(variables);
    all.putIfAbsent("PGSYSCONFDIR", home.resolve("no-sysconfdir").toString());
    return new Environment(all, "pgkill-os-user", home, List.of(noSockets));
  }

  private PasswordSource answering(String password) {
    return prompt -> {
      prompts.add(prompt);
      return Optional.ofNullable(password).map(String::toCharArray);
    };
  }

  private Connection open(Map<String, String> variables, ConnectionRequest request)
      throws ConnectFailure {
    return new Connector(
            new SettingsResolver(environment(variables), warnings::add),
            answering(null),
            NOPLogger.NOP_LOGGER)
        .open(request)
        .connection();
  }

  private static ConnectionRequest dbname(String dbname) {
    return new ConnectionRequest(null, null, null, dbname, PasswordPrompt.NEVER);
  }

  private ConnectionRequest tcp(String user) {
    return new ConnectionRequest(
        "localhost", Integer.toString(server.port()), user, null, PasswordPrompt.NEVER);
  }

  private Run run(Map<String, String> variables, PasswordSource passwords, String... args) {
    return Run.in(environment(variables), "", passwords, args);
  }

  /** A run that gets as far as looking a PID up: 1, nothing matched, means it connected. */
  private String[] lookUp(String... connectionArgs) throws SQLException {
    List<String> args = new ArrayList<>(List.of(connectionArgs));
    args.addAll(List.of("--cancel", Integer.toString(server.unusedPid())));
    return args.toArray(String[]::new);
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  @Test
  void scramRoleConnectsWithPgpassword() throws Exception {
    String role = scramRole();
    try (Connection connection = open(Map.of("PGPASSWORD", PostgresServer.PASSWORD), tcp(role))) {
      assertThat(query(connection, "select current_user")).isEqualTo(role);
      assertThat(
              query(
                  connection,
                  "select application_name from pg_stat_activity where pid = pg_backend_pid()"))
          .isEqualTo("pgkill");
      assertThat(query(connection, "show statement_timeout")).isEqualTo("15s");
      assertThat(query(connection, "show client_min_messages")).isEqualTo("warning");
    }
  }

  @Test
  void wrongPasswordIsFatalInOneLineThatNeverShowsIt() throws Exception {
    String role = scramRole();
    Run run =
        run(
            Map.of("PGPASSWORD", "Wrong-Secret-42"),
            PasswordSource.NOBODY,
            server.argsAs(role, "-vv", "--cancel", "4242"));

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().filter(line -> line.startsWith("pgkill: error:")))
        .singleElement()
        .asString()
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port="
                + server.port()
                + " user="
                + role
                + " dbname=postgres: password authentication failed for user \""
                + role
                + "\" (SQLSTATE 28P01)");
    assertThat(run.out() + run.err()).doesNotContain("Wrong-Secret-42");
  }

  @Test
  void noPasswordWithMinusLowerWIsFatalWithoutAsking() throws Exception {
    String role = scramRole();
    Run run =
        run(
            Map.of(),
            answering(PostgresServer.PASSWORD),
            server.argsAs(role, "-w", "--cancel", "4242"));

    assertThat(run.status()).isEqualTo(3);
    assertThat(prompts).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port="
                + server.port()
                + " user="
                + role
                + " dbname=postgres: the server asked for a password and none was"
                + " given (PGPASSWORD, ~/.pgpass, -W)\n");
  }

  @Test
  void passwordIsAskedForWhenTheServerWantsOne() throws Exception {
    String role = scramRole();
    Run run = run(Map.of(), answering(PostgresServer.PASSWORD), lookUp(server.argsAs(role)));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(prompts).containsExactly("Password for user " + role + ": ");
  }

  @Test
  void trustedRoleIsNeverAskedForAPassword() throws Exception {
    Run run = run(Map.of(), answering(PostgresServer.PASSWORD), lookUp(server.args()));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(prompts).isEmpty();
  }

  @Test
  void minusUpperWAsksBeforeConnectingAndUsesTheAnswer() throws Exception {
    String role = scramRole();
    Run run = run(Map.of(), answering(PostgresServer.PASSWORD), lookUp(server.argsAs(role, "-W")));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(prompts).containsExactly("Password for user " + role + ": ");
  }

  @Test
  void passwordFileWithOwnerOnlyAccessIsUsed() throws Exception {
    String role = scramRole();
    writePgpass(
        "rw-------",
        "localhost:" + server.port() + ":postgres:" + role + ":" + PostgresServer.PASSWORD);

    try (Connection connection = open(Map.of(), tcp(role))) {
      assertThat(query(connection, "select current_user")).isEqualTo(role);
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void passwordFileOthersCanReadIsIgnoredWithAWarningOnStandardError() throws Exception {
    String role = scramRole();
    Path file = writePgpass("rw-r--r--", "*:*:*:*:" + PostgresServer.PASSWORD);

    Run run = run(Map.of(), PasswordSource.NOBODY, lookUp(server.argsAs(role)));

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err().lines())
        .containsExactly(
            "pgkill: warning: password file \""
                + file
                + "\" has group or world access;"
                + " permissions should be u=rw (0600) or less: ignored",
            "pgkill: error: could not connect to host=localhost port="
                + server.port()
                + " user="
                + role
                + " dbname=postgres: the server asked for a password and none was given"
                + " (PGPASSWORD, ~/.pgpass, -W)");
  }

  private Path writePgpass(String permissions, String line) throws IOException {
    Path file = Files.writeString(home.resolve(".pgpass"), "# test\n" + line + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void uriWithEveryElementReachesTheServerWithItsSettings() throws Exception {
    String role = scramRole();
    String uri =
        "postgresql://"
            + role
            + ":"
            + URLEncoder.encode(PostgresServer.PASSWORD, StandardCharsets.UTF_8)
            + "@localhost:"
            + server.port()
            + "/postgres"
            + "?application_name=from%20uri&connect_timeout=5&sslmode=disable"
            + "&options=-c%20work_mem%3D5MB";

    try (Connection connection = open(Map.of("PGHOST", "elsewhere.invalid"), dbname(uri))) {
      assertThat(query(connection, "select current_user")).isEqualTo(role);
      assertThat(query(connection, "show application_name")).isEqualTo("from uri");
      assertThat(query(connection, "show work_mem")).isEqualTo("5MB");
      assertThat(query(connection, "show statement_timeout")).isEqualTo("15s");
      assertThat(query(connection, "select ssl from pg_stat_ssl where pid = pg_backend_pid()"))
          .isEqualTo("f");
    }
  }

  @Test
  void connectionStringWithQuotesAndEscapesReachesTheServer() throws Exception {
    String role = scramRole();
    String conninfo =
        "host = localhost port="
            + server.port()
            + " user="
            + role
            + " password='"
            + PostgresServer.PASSWORD
            + "' application_name='night \\'job\\''";

    try (Connection connection = open(Map.of(), dbname(conninfo))) {
      assertThat(query(connection, "show application_name")).isEqualTo("night 'job'");
    }
  }

  @Test
  void pgappnameAndPgoptionsAreHonouredNextToPgkillsOwnSettings() throws Exception {
    Map<String, String> variables =
        Map.of(
            "PGAPPNAME",
            "ops-cron",
            "PGOPTIONS",
            "-c work_mem=7MB -c statement_timeout=1h",
            "PGHOST",
            "localhost",
            "PGPORT",
            Integer.toString(server.port()),
            "PGUSER",
            "postgres");

    try (Connection connection = open(variables, dbname(null))) {
      assertThat(query(connection, "show application_name")).isEqualTo("ops-cron");
      assertThat(query(connection, "show work_mem")).isEqualTo("7MB");
      assertThat(query(connection, "show statement_timeout")).isEqualTo("15s");
    }
  }

  @Test
  void serviceFileEntryWithKeywordsPgjdbcDoesNotKnowWorks() throws Exception {
    String role = scramRole();
    Path file =
        Files.writeString(
            home.resolve("services.conf"),
            "[ops]\nhost=localhost\nport="
                + server.port()
                + "\nuser="
                + role
                + "\npassword="
                + PostgresServer.PASSWORD
                + "\napplication_name=from service\nkeepalives_idle=30\n");

    try (Connection connection =
        open(
            Map.of("PGSERVICEFILE", file.toString(), "PGHOST", "elsewhere.invalid"),
            dbname("service=ops"))) {
      assertThat(query(connection, "select current_user")).isEqualTo(role);
      assertThat(query(connection, "show application_name")).isEqualTo("from service");
    }
  }

  @Test
  void withNoHostTheLocalSocketIsUsedAndPeerAuthenticationLetsTheOsUserIn() throws Exception {
    String osUser = System.getProperty("user.name");
    server.execute(
        "do $$ begin if not exists (select from pg_roles where rolname = '"
            + osUser
            + "') then create role \""
            + osUser
            + "\" login; end if; end $$");
    String stranger = server.createRole("stranger", "");
    // Only these two roles: other tests reach the same socket as postgres, trusted.
    server.prependHba("local all " + osUser + " peer", "local all " + stranger + " peer");
    Environment environment =
        new Environment(
            Map.of("PGPORT", Integer.toString(server.port()), "PGSYSCONFDIR", home.toString()),
            osUser,
            home,
            List.of(noSockets, server.socketDirectory()));

    try (Connection connection =
        new Connector(
                new SettingsResolver(environment, warnings::add),
                PasswordSource.NOBODY,
                NOPLogger.NOP_LOGGER)
            .open(ConnectionRequest.none())
            .connection()) {
      assertThat(query(connection, "select current_user")).isEqualTo(osUser);
      assertThat(
              query(
                  connection,
                  "select client_port from pg_stat_activity where pid = pg_backend_pid()"))
          .isEqualTo("-1");
    }
    Run otherRole =
        Run.in(environment, "", PasswordSource.NOBODY, "-U", stranger, "--cancel", "4242");
    assertThat(otherRole.status()).isEqualTo(3);
    assertThat(otherRole.err())
        .isEqualTo(
            "pgkill: error: could not connect to host="
                + server.socketDirectory()
                + " port="
                + server.port()
                + " user="
                + stranger
                + " dbname=postgres: Peer authentication failed"
                + " for user \""
                + stranger
                + "\" (SQLSTATE 28000)\n");
  }

  @Test
  void socketDirectoryGivenAsHostIsUsed() throws Exception {
    Run run =
        run(
            Map.of(),
            PasswordSource.NOBODY,
            lookUp(
                "-h",
                server.socketDirectory().toString(),
                "-p",
                Integer.toString(server.port()),
                "-U",
                "postgres"));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
  }

  @Test
  void malformedUriIsAUsageErrorInOneLineNamingItWithoutThePassword() {
    Run run =
        run(
            Map.of(),
            PasswordSource.NOBODY,
            "-d",
            "postgresql://alice:Sw0rdfish@[::1/postgres",
            "--cancel",
            "4242");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: invalid connection URI \"postgresql://alice:***@[::1/postgres\":"
                + " missing \"]\" after the IPv6 address (see pgkill --help)\n");
  }

  @Test
  void missingSocketIsFatalNamingTheDirectory() {
    Run run =
        run(Map.of(), PasswordSource.NOBODY, "-h", home.toString(), "-U", "alice", "-c", "42");

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err())
        .startsWith(
            "pgkill: error: could not connect to host="
                + home
                + " port=5432 user=alice dbname=postgres: ")
        .hasLineCount(1);
  }

  @Test
  void severalHostsFailOverToTheOneThatAnswers() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String hosts =
        "host=localhost,localhost port=" + closed + "," + server.port() + " user=postgres";

    try (Connection connection =
        open(Map.of(), dbname(hosts + " target_session_attrs=read-write"))) {
      assertThat(query(connection, "select inet_server_port()"))
          .isEqualTo(Integer.toString(server.port()));
    }
    assertThatThrownBy(() -> open(Map.of(), dbname(hosts + " target_session_attrs=standby")))
        .isInstanceOf(ConnectFailure.class)
        .hasMessage(
            "could not connect to host=localhost,localhost port="
                + closed
                + ","
                + server.port()
                + " user=postgres dbname=postgres: server is not in hot standby mode");
  }

  @Test
  void readWriteRefusesAReadOnlySessionInLibpqsWords() throws Exception {
    String role = server.createRole("readonly", "");
    server.execute("alter role " + role + " set default_transaction_read_only = on");
    String conninfo =
        "host=localhost port="
            + server.port()
            + " user="
            + role
            + " password="
            + PostgresServer.PASSWORD
            + " target_session_attrs=read-write";

    Run run = run(Map.of(), PasswordSource.NOBODY, "-d", conninfo, "-l", "-u", role);

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port="
                + server.port()
                + " user="
                + role
                + " dbname=postgres: session is read-only\n");
  }

  private Certificates tls(String clientRole) throws Exception {
    Certificates certificates =
        Certificates.make(Files.createDirectory(home.resolve("tls")), clientRole);
    server.enableTls(certificates);
    return certificates;
  }

  @Test
  void verifyFullAcceptsTheCertificatesHostNameAndTheClientCertificateLogsIn() throws Exception {
    String role = server.createRole("cert", "");
    server.prependHba("hostssl all " + role + " all cert", "host all " + role + " all reject");
    Certificates certificates = tls(role);
    String conninfo =
        "host=localhost port="
            + server.port()
            + " user="
            + role
            + " sslmode=verify-full"
            + " sslrootcert="
            + certificates.ca()
            + " sslcert="
            + certificates.clientCert()
            + " sslkey="
            + certificates.clientKey();

    try (Connection connection = open(Map.of(), dbname(conninfo))) {
      assertThat(query(connection, "select current_user")).isEqualTo(role);
      assertThat(query(connection, "select ssl from pg_stat_ssl where pid = pg_backend_pid()"))
          .isEqualTo("t");
    }
  }

  @Test
  void clientKeyInPkcs1PemAsLibpqUsersHaveItWorks() throws Exception {
    String role = server.createRole("cert", "");
    server.prependHba("hostssl all " + role + " all cert", "host all " + role + " all reject");
    Certificates certificates = tls(role);
    assertThat(Files.readString(certificates.clientKeyPkcs1()))
        .startsWith("-----BEGIN RSA PRIVATE KEY-----");
    String conninfo =
        "host=localhost port="
            + server.port()
            + " user="
            + role
            + " sslmode=verify-ca"
            + " sslrootcert="
            + certificates.ca()
            + " sslcert="
            + certificates.clientCert()
            + " sslkey="
            + certificates.clientKeyPkcs1();

    try (Connection connection = open(Map.of(), dbname(conninfo))) {
      assertThat(query(connection, "select current_user")).isEqualTo(role);
    }
  }

  @Test
  void verifyFullRejectsAHostNameTheCertificateDoesNotName() throws Exception {
    Certificates certificates = tls(PostgresServer.SUPERUSER);
    Map<String, String> variables =
        Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", certificates.ca().toString());
    String port = Integer.toString(server.port());

    Run byAddress =
        run(
            variables,
            PasswordSource.NOBODY,
            lookUp("-h", "127.0.0.1", "-p", port, "-U", "postgres"));
    Run byName =
        run(
            variables,
            PasswordSource.NOBODY,
            lookUp("-h", "localhost", "-p", port, "-U", "postgres"));

    assertThat(byAddress.status()).isEqualTo(3);
    assertThat(byAddress.err())
        .startsWith(
            "pgkill: error: could not connect to host=127.0.0.1 port="
                + port
                + " user=postgres dbname=postgres: ")
        .isEqualTo(
            "pgkill: error: could not connect to host=127.0.0.1 port="
                + port
                + " user=postgres dbname=postgres: server certificate for \"localhost\" (and 1 other"
                + " name) does not match host name \"127.0.0.1\"\n");
    assertThat(byName.status()).as(byName.err()).isEqualTo(1);
  }

  @Test
  void serverThatAcceptsButNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
    try (ServerSocket blackHole =
        new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(blackHole.getLocalPort());
      long started = System.nanoTime();

      Run run =
          Run.with(
              Map.of("PGCONNECT_TIMEOUT", "2", "PGSSLMODE", "disable"),
              "",
              dev.pgkill.cli.Terminal.NONE,
              "-h",
              "127.0.0.1",
              "-p",
              port,
              "-U",
              "alice",
              "-c",
              "42");

      long seconds = java.time.Duration.ofNanos(System.nanoTime() - started).toSeconds();
      assertThat(run.status()).isEqualTo(3);
      assertThat(seconds).as("gave up after the 2 s connect timeout").isLessThan(8);
      assertThat(run.err().lines())
          .singleElement()
          .asString()
          .startsWith("pgkill: error: could not connect to host=127.0.0.1 port=" + port);
    }
  }

  @Test
  void fullServerIsFatalWithAHintAndASuperuserStillGetsInToFixIt() throws Exception {
    // Few slots for ordinary roles, three reserved for superusers. Before 12, walsenders took
    // their slots from max_connections too, and the server refuses to start if they leave none.
    try (PostgresServer full =
        PostgresServer.start(
            Map.of(
                "max_connections",
                "6",
                "superuser_reserved_connections",
                "3",
                "max_wal_senders",
                "0"))) {
      String app = full.createRole("app", "");
      List<dev.pgkill.testing.Victim> sessions = new ArrayList<>();
      try {
        dev.pgkill.testing.Victim sleeper = dev.pgkill.testing.Victim.sleeping(full, app);
        sessions.add(sleeper);
        fillOrdinarySlots(full, app, sessions);
        Run refused = Run.of(full.argsAs(app, "--list", "-u", app));

        assertThat(refused.status()).as(refused.out()).isEqualTo(3);
        assertThat(refused.err().lines())
            .singleElement()
            .asString()
            .contains(
                "(SQLSTATE 53300)",
                "every connection slot is taken",
                "a superuser (or, from PostgreSQL 16, a member of pg_use_reserved_connections)");

        Run rescue = Run.of(full.args("--cancel", Integer.toString(sleeper.pid())));
        assertThat(rescue.status()).as(rescue.err()).isZero();
        assertThat(sleeper.failure().getSQLState()).isEqualTo("57014");
        assertThat(sessions.get(sessions.size() - 1).usable()).isTrue();
      } finally {
        for (dev.pgkill.testing.Victim session : sessions) {
          session.close();
        }
      }
    }
  }

  /**
   * Opens sessions of {@code role} until the server refuses one, twice, each time once the test's
   * own superuser sessions have left their slots (which takes a moment after closing).
   */
  private static void fillOrdinarySlots(
      PostgresServer server, String role, List<dev.pgkill.testing.Victim> sessions)
      throws Exception {
    for (int round = 0; round < 2; round++) {
      PostgresServer.await(
          "closed superuser sessions to leave their slots",
          java.time.Duration.ofSeconds(10),
          () -> {
            try {
              return "0"
                  .equals(
                      server.queryString(
                          PostgresServer.SUPERUSER,
                          "select count(*)"
                              + " from pg_stat_activity where backend_type = 'client backend'"
                              + " and usename = current_user and pid <> pg_backend_pid()"));
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
      for (int i = 0; i < 10; i++) {
        try {
          sessions.add(dev.pgkill.testing.Victim.connect(server, role));
        } catch (SQLException full) {
          assertThat(full.getSQLState()).isEqualTo("53300");
          break;
        }
      }
    }
  }

  /** A SCRAM role on a server that has no TLS at all, asked for TLS: psql's words, no prompt. */
  @Test
  void tlsRequiredFromAServerWithoutItIsSaidAsPsqlSaysAndNeverAsksForAPassword() throws Exception {
    try (PostgresServer plain = PostgresServer.start(Map.of("ssl", "off"))) {
      String role = plain.createRole("scram", "");
      plain.prependHba("host all " + role + " all scram-sha-256");
      StringBuilder questions = new StringBuilder();
      dev.pgkill.cli.Terminal person =
          Run.person(new java.util.ArrayDeque<>(List.of(PostgresServer.PASSWORD)), questions);
      Environment environment = environment(Map.of("PGSSLMODE", "require"));

      Run run = Run.in(environment, "", person, plain.argsAs(role, "--cancel", "4242"));
      ConnectFailure failure =
          catchThrowableOfType(
              () ->
                  new Connector(
                          new SettingsResolver(environment, warnings::add),
                          answering("x"),
                          NOPLogger.NOP_LOGGER)
                      .open(
                          new ConnectionRequest(
                              "localhost",
                              Integer.toString(plain.port()),
                              role,
                              null,
                              PasswordPrompt.WHEN_NEEDED)),
              ConnectFailure.class);

      assertThat(questions).isEmpty();
      assertThat(run.status()).isEqualTo(3);
      assertThat(run.err())
          .isEqualTo(
              "pgkill: error: could not connect to host=localhost port="
                  + plain.port()
                  + " user="
                  + role
                  + " dbname=postgres: server does not support SSL, but SSL was"
                  + " required\n");
      assertThat(prompts).isEmpty();
      // -v shows the cause with pgjdbc's own words.
      assertThat(failure.getCause()).hasMessage("The server does not support SSL.");
    }
  }

  @Test
  void rootCertificateThatDidNotSignTheServersIsSaidAsLibpqSaysIt() throws Exception {
    tls(PostgresServer.SUPERUSER);
    Certificates stranger = Certificates.make(Files.createDirectory(home.resolve("other")), "x");
    Map<String, String> variables =
        Map.of("PGSSLMODE", "verify-ca", "PGSSLROOTCERT", stranger.ca().toString());

    Run run = run(variables, PasswordSource.NOBODY, lookUp(server.args()));

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port="
                + server.port()
                + " user=postgres dbname=postgres: SSL error: certificate verify failed\n");
  }

  @Test
  void missingRootCertificateIsSaidAsLibpqSaysIt() throws Exception {
    tls(PostgresServer.SUPERUSER);

    Run run = run(Map.of("PGSSLMODE", "verify-ca"), PasswordSource.NOBODY, lookUp(server.args()));

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port="
                + server.port()
                + " user=postgres dbname=postgres: root certificate file \""
                + home.resolve(".postgresql/root.crt")
                + "\" does not exist; either provide the file,"
                + " use the system's trusted roots with sslrootcert=system, or change sslmode to"
                + " disable server certificate verification\n");
  }

  /**
   * As libpq 16: the system's trusted roots (OpenSSL's, which SSL_CERT_FILE replaces), checked with
   * verify-full unless told otherwise, and no weaker mode.
   */
  @Test
  void sslrootcertSystemMeansTheSystemsTrustedRootsWithVerifyFull() throws Exception {
    Certificates certificates = tls(PostgresServer.SUPERUSER);
    Certificates stranger = Certificates.make(Files.createDirectory(home.resolve("other")), "x");
    String port = Integer.toString(server.port());
    Map<String, String> trusting =
        Map.of("PGSSLROOTCERT", "system", "SSL_CERT_FILE", certificates.ca().toString());

    Run byName =
        run(
            trusting,
            PasswordSource.NOBODY,
            lookUp("-h", "localhost", "-p", port, "-U", "postgres"));
    Run byAddress =
        run(
            trusting,
            PasswordSource.NOBODY,
            lookUp("-h", "127.0.0.1", "-p", port, "-U", "postgres"));
    Run untrusted =
        run(
            Map.of("PGSSLROOTCERT", "system", "SSL_CERT_FILE", stranger.ca().toString()),
            PasswordSource.NOBODY,
            lookUp("-h", "localhost", "-p", port, "-U", "postgres"));
    Run weak =
        run(
            Map.of("PGSSLROOTCERT", "system", "PGSSLMODE", "require"),
            PasswordSource.NOBODY,
            lookUp("-h", "localhost", "-p", port, "-U", "postgres"));

    assertThat(byName.status()).as(byName.err()).isEqualTo(1);
    assertThat(byAddress.status()).isEqualTo(3);
    assertThat(byAddress.err()).contains("does not match host name \"127.0.0.1\"");
    assertThat(untrusted.status()).isEqualTo(3);
    assertThat(untrusted.err()).endsWith(": SSL error: certificate verify failed\n");
    assertThat(weak.status()).isEqualTo(2);
    assertThat(weak.err())
        .isEqualTo(
            "pgkill: error: weak sslmode \"require\" may not be used with"
                + " sslrootcert=system (use \"verify-full\") (see pgkill --help)\n");
  }

  private String certificateRole() throws SQLException {
    String role = server.createRole("cert", "");
    server.prependHba("hostssl all " + role + " all cert", "host all " + role + " all reject");
    return role;
  }

  private String keyConninfo(String role, Certificates certificates, Path key) {
    return "host=localhost port="
        + server.port()
        + " user="
        + role
        + " sslmode=verify-ca"
        + " sslrootcert="
        + certificates.ca()
        + " sslcert="
        + certificates.clientCert()
        + " sslkey="
        + key;
  }

  @Test
  void clientKeyOthersCanReadIsRefusedAsLibpqRefusesIt() throws Exception {
    String role = certificateRole();
    Certificates certificates = tls(role);
    Path key = certificates.clientKeyPkcs1();
    Run usable =
        run(Map.of(), PasswordSource.NOBODY, lookUp("-d", keyConninfo(role, certificates, key)));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

    Run refused =
        run(Map.of(), PasswordSource.NOBODY, lookUp("-d", keyConninfo(role, certificates, key)));

    assertThat(usable.status()).as(usable.err()).isEqualTo(1);
    assertThat(refused.status()).isEqualTo(3);
    assertThat(refused.err())
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port="
                + server.port()
                + " user="
                + role
                + " dbname=postgres: private key file \""
                + key
                + "\" has group or"
                + " world access; file must have permissions u=rw (0600) or less if owned by the"
                + " current user, or permissions u=rw,g=r (0640) or less if owned by root\n");
  }

  @Test
  void encryptedClientKeyIsRefusedWithHowToDecryptIt() throws Exception {
    String role = certificateRole();
    Certificates certificates = tls(role);
    Path key =
        dev.pgkill.testing.EncryptedKey.write(
            certificates.clientKey(), home.resolve("encrypted.key"), "passphrase");

    Run run =
        run(Map.of(), answering("passphrase"), lookUp("-d", keyConninfo(role, certificates, key)));

    assertThat(prompts).isEmpty();
    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port="
                + server.port()
                + " user="
                + role
                + " dbname=postgres: private key file \""
                + key
                + "\" is encrypted,"
                + " which pgkill does not support: decrypt it into a file only you can read (openssl"
                + " pkcs8 -topk8 -nocrypt -in "
                + key
                + " -out NEW.key)\n");
  }
}
