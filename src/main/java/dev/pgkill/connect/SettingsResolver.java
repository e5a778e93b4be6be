package dev.pgkill.connect;

import dev.pgkill.text.UsageError;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Resolves the connection settings the way psql (libpq) does, so that pgkill reaches whatever
 * psql reaches with the same arguments and environment. Each setting takes the first value found
 * in this order, which is libpq's (checked against psql 15):
 *
 * <ol>
 *   <li>a conninfo string or URI given as {@code -d}: psql expands it after {@code -h -p -U}, so
 *       what it says wins over them;
 *   <li>the options {@code -h -p -U} (and {@code -d} when it is a plain name);
 *   <li>the service entry named by {@code service=} or {@code PGSERVICE}: it fills in only what
 *       is still unset, but before the environment, so it wins over {@code PGHOST} and the rest;
 *   <li>the environment ({@code PGHOST}, {@code PGPORT}, ...: see {@link Keywords#ENVIRONMENT});
 *   <li>defaults: a local server's Unix socket if one is there, else {@code localhost}; port
 *       5432; the operating-system user.
 * </ol>
 *
 * The default database is {@code postgres}, not the user's name as in psql: pg_stat_activity is
 * cluster-wide, so any database will do and {@code postgres} nearly always exists. With no
 * password from any of these, the password file supplies it.
 */
public final class SettingsResolver {
  static final String DEFAULT_HOST = "localhost";
  static final int DEFAULT_PORT = 5432;
  static final String DEFAULT_DATABASE = "postgres";
  static final int DEFAULT_CONNECT_TIMEOUT = 10;
  /** Where Debian's libpq looks for pg_service.conf when PGSYSCONFDIR is not set. */
  static final Path DEFAULT_SYSCONFDIR = Path.of("/etc/postgresql-common");
  /**
   * Where OpenSSL, and so libpq, finds the system's trusted root certificates unless
   * {@code SSL_CERT_FILE} names a file: Debian, Ubuntu and Arch; Red Hat and Fedora; SUSE;
   * Alpine and the BSDs.
   */
  static final List<Path> SYSTEM_ROOT_CERTIFICATES =
      List.of(
          Path.of("/etc/ssl/certs/ca-certificates.crt"),
          Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
          Path.of("/etc/ssl/ca-bundle.pem"),
          Path.of("/etc/ssl/cert.pem"));

  private static final Set<String> TARGET_SESSION_ATTRS =
      Set.of("any", "read-write", "read-only", "primary", "standby", "prefer-standby");

  private final Environment environment;
  private final Consumer<String> warnings;

  /** {@code warnings} receives one line per problem worth telling (an unsafe password file). */
  public SettingsResolver(Environment environment, Consumer<String> warnings) {
    this.environment = environment;
    this.warnings = warnings;
  }

  public ConnectionSettings resolve(ConnectionRequest request) {
    Map<String, String> values = new HashMap<>();
    String dbname = request.dbname();
    if (present(dbname)) {
      if (ConnectionUri.looksLikeOne(dbname)) {
        putPresent(values, ConnectionUri.parse(dbname));
      } else if (ConninfoString.looksLikeOne(dbname)) {
        putPresent(values, ConninfoString.parse(dbname));
      } else {
        values.put("dbname", dbname);
      }
    }
    putIfPresent(values, "host", request.host());
    putIfPresent(values, "port", request.port());
    putIfPresent(values, "user", request.user());

    String service = present(values.get("service")) ? values.get("service") : environment.get("PGSERVICE");
    if (service != null) {
      service(service, values).forEach((keyword, value) -> putIfPresent(values, keyword, value));
    }
    Keywords.ENVIRONMENT.forEach(
        (variable, keyword) -> putIfPresent(values, keyword, environment.get(variable)));
    return settings(values);
  }

  private ConnectionSettings settings(Map<String, String> values) {
    List<Endpoint> endpoints = endpoints(values);
    String user = values.getOrDefault("user", environment.osUser());
    String database = values.getOrDefault("dbname", DEFAULT_DATABASE);
    String password = values.get("password");
    if (password == null) {
      password = fromPassFile(values, endpoints, user, database).orElse(null);
    }
    String timeout = values.get("connect_timeout");
    boolean socket = endpoints.stream().anyMatch(Endpoint::isSocket);
    if (socket && endpoints.size() > 1) {
      throw new UsageError(
          "host \"" + values.get("host") + "\": a Unix-socket directory cannot be one of several"
              + " hosts (give one socket directory, or several TCP hosts)");
    }
    String targetSessionAttrs = values.getOrDefault("target_session_attrs", "any");
    if (!TARGET_SESSION_ATTRS.contains(targetSessionAttrs)) {
      throw new UsageError("invalid target_session_attrs \"" + targetSessionAttrs + "\"");
    }
    String loadBalance = values.getOrDefault("load_balance_hosts", "disable");
    if (!loadBalance.equals("disable") && !loadBalance.equals("random")) {
      throw new UsageError("invalid load_balance_hosts \"" + loadBalance + "\"");
    }
    return new ConnectionSettings(
        endpoints,
        user,
        database,
        password == null ? null : password.toCharArray(),
        timeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout(timeout),
        values.get("application_name"),
        values.get("options"),
        socket ? Tls.NONE : tls(values),
        targetSessionAttrs,
        loadBalance.equals("random"));
  }

  /**
   * libpq's host, hostaddr and port lists, zipped: one port for all hosts or one per host. A
   * hostaddr, when given, is what is connected to.
   */
  private List<Endpoint> endpoints(Map<String, String> values) {
    List<String> hosts = list(values.get("host"));
    List<String> addresses = list(values.get("hostaddr"));
    List<String> ports = list(values.get("port"));
    if (!hosts.isEmpty() && !addresses.isEmpty() && hosts.size() != addresses.size()) {
      throw new UsageError(
          "could not match " + hosts.size() + " host names to " + addresses.size()
              + " hostaddr values");
    }
    int count = Math.max(1, Math.max(hosts.size(), addresses.size()));
    if (ports.size() > 1 && ports.size() != count) {
      throw new UsageError(
          "could not match " + ports.size() + " port numbers to " + count + " hosts");
    }
    List<Endpoint> endpoints = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String portText = ports.isEmpty() ? "" : ports.get(ports.size() == 1 ? 0 : i);
      int port = portText.isEmpty() ? DEFAULT_PORT : port(portText);
      String address = i < addresses.size() ? addresses.get(i) : "";
      if (!address.isEmpty() && !NumericAddress.isOne(address)) {
        throw new UsageError(
            "invalid hostaddr \"" + address + "\": not a numeric IPv4 or IPv6 address (a host"
                + " name goes in host)");
      }
      String host = i < hosts.size() ? hosts.get(i) : "";
      String target = !address.isEmpty() ? address : !host.isEmpty() ? host : defaultHost(port);
      if (target.startsWith("/")) {
        path("host", target); // a socket directory: the connector makes its socket file's path
      }
      endpoints.add(new Endpoint(target, port));
    }
    return endpoints;
  }

  /** As libpq: the local server's socket when there is one, else TCP to localhost. */
  private String defaultHost(int port) {
    return environment.socketDirectories().stream()
        .filter(directory -> Files.exists(new Endpoint(directory.toString(), port).socketFile()))
        .findFirst()
        .map(Path::toString)
        .orElse(DEFAULT_HOST);
  }

  /**
   * libpq looks a password up under the host name, else the hostaddr, else {@code localhost};
   * a connection through the default socket directory is {@code localhost} too.
   */
  private Optional<String> fromPassFile(
      Map<String, String> values, List<Endpoint> endpoints, String user, String database) {
    String passfile = values.get("passfile");
    PassFile file =
        new PassFile(
            passfile != null ? path("passfile", passfile) : environment.home().resolve(".pgpass"),
            warnings);
    List<String> hosts = list(values.get("host"));
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      String host = i < hosts.size() && !hosts.get(i).isEmpty() ? hosts.get(i) : endpoint.host();
      if (endpoint.isSocket() && environment.socketDirectories().contains(path("host", host))) {
        host = DEFAULT_HOST;
      }
      Optional<String> password =
          file.find(host, Integer.toString(endpoint.port()), database, user);
      // An empty password is no password, as in libpq.
      if (password.isPresent() && !password.get().isEmpty()) {
        return password;
      }
    }
    return Optional.empty();
  }

  /** {@code PGSERVICEFILE} or {@code ~/.pg_service.conf} first, then the system-wide file. */
  private Map<String, String> service(String name, Map<String, String> values) {
    String userFile =
        present(values.get("servicefile")) ? values.get("servicefile") : environment.get("PGSERVICEFILE");
    String sysconfdir = environment.get("PGSYSCONFDIR");
    List<Path> files =
        List.of(
            userFile != null
                ? path("servicefile", userFile)
                : environment.home().resolve(".pg_service.conf"),
            (sysconfdir != null ? path("PGSYSCONFDIR", sysconfdir) : DEFAULT_SYSCONFDIR)
                .resolve("pg_service.conf"));
    for (Path file : files) {
      Optional<Map<String, String>> entry = new ServiceFile(file).find(name);
      if (entry.isPresent()) {
        return entry.get();
      }
    }
    throw new UsageError(
        "definition of service \"" + name + "\" not found (looked in " + files.get(0) + " and "
            + files.get(1) + ")");
  }

  /**
   * libpq's TLS settings, with its default files under ~/.postgresql. As libpq, {@code require}
   * with a root certificate present verifies the server's certificate as {@code verify-ca} does,
   * and {@code sslrootcert=system} (libpq 16) means the system's trusted roots, with
   * {@code verify-full} as the default and only mode: any public authority vouches for some name,
   * so only checking the name makes them safe.
   */
  private Tls tls(Map<String, String> values) {
    String mode = values.getOrDefault("sslmode", "prefer");
    if (!Tls.MODES.contains(mode)) {
      throw new UsageError(
          "invalid sslmode \"" + mode + "\": one of " + String.join(", ", Tls.MODES));
    }
    Path directory = environment.home().resolve(".postgresql");
    String rootCert = values.getOrDefault("sslrootcert", directory.resolve("root.crt").toString());
    if (rootCert.equals("system")) {
      if (!values.containsKey("sslmode")) {
        mode = "verify-full";
      } else if (!mode.equals("verify-full")) {
        throw new UsageError(
            "weak sslmode \"" + mode + "\" may not be used with sslrootcert=system (use"
                + " \"verify-full\")");
      }
      rootCert = systemRootCertificates().toString();
    } else if (mode.equals("require") && Files.exists(path("sslrootcert", rootCert))) {
      mode = "verify-ca";
    }
    Tls tls =
        new Tls(
            mode,
            rootCert,
            values.getOrDefault("sslcert", existing(directory.resolve("postgresql.crt"))),
            values.getOrDefault("sslkey", existing(directory.resolve("postgresql.key"))));
    // The connector reads the files itself (see ClientKey): their names must be ones files can have.
    if (tls.key() != null) {
      path("sslkey", tls.key());
    }
    if (tls.cert() != null) {
      path("sslcert", tls.cert());
    }
    return tls;
  }

  /** OpenSSL's: the file {@code SSL_CERT_FILE} names, else the system's bundle. */
  private Path systemRootCertificates() {
    String named = environment.get("SSL_CERT_FILE");
    if (named != null) {
      return path("SSL_CERT_FILE", named);
    }
    return SYSTEM_ROOT_CERTIFICATES.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(
            () ->
                new UsageError(
                    "sslrootcert=system: no system root certificates found (looked for "
                        + SYSTEM_ROOT_CERTIFICATES.stream().map(Path::toString)
                            .collect(java.util.stream.Collectors.joining(", "))
                        + "); name a file with SSL_CERT_FILE or sslrootcert"));
  }

  /**
   * A file or directory a setting names. A name no file can have (a NUL byte from a service file,
   * or a character the platform's file-name encoding lacks) is the user's mistake, not pgkill's.
   */
  private static Path path(String keyword, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageError(
          "invalid " + keyword + " \"" + value + "\": not a file name (" + e.getReason() + ")");
    }
  }

  private static String existing(Path file) {
    return Files.exists(file) ? file.toString() : null;
  }

  private static List<String> list(String value) {
    return value == null ? List.of() : Arrays.asList(value.split(",", -1));
  }

  private static int port(String text) {
    int port = wholeNumber(text, "port");
    if (port < 1 || port > 65535) {
      throw new UsageError("invalid port \"" + text + "\": must be from 1 to 65535");
    }
    return port;
  }

  /** As libpq: zero or less means wait forever, and 1 second is raised to 2. */
  private static int connectTimeout(String text) {
    int seconds = wholeNumber(text, "connect_timeout");
    return seconds <= 0 ? 0 : Math.max(seconds, 2);
  }

  private static int wholeNumber(String text, String what) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new UsageError("invalid " + what + " \"" + text + "\": not a whole number");
    }
  }

  private static boolean present(String value) {
    return value != null && !value.isEmpty();
  }

  private static void putIfPresent(Map<String, String> values, String keyword, String value) {
    if (present(value)) {
      values.putIfAbsent(keyword, value);
    }
  }

  private static void putPresent(Map<String, String> values, Map<String, String> parsed) {
    parsed.forEach(
        (keyword, value) -> {
          if (present(value)) {
            values.put(keyword, value);
          }
        });
  }
}
