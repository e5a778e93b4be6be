package dev.pgkill.connect;

import static dev.pgkill.connect.SettingText.present;

import dev.pgkill.text.UsageError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Resolves the connection settings the way psql (libpq) does, so that pgkill reaches whatever psql
 * reaches with the same arguments and environment. Each setting takes the first value found in this
 * order, which is libpq's (checked against psql 15):
 *
 * <ol>
 *   <li>a conninfo string or URI given as {@code -d}: psql expands it after {@code -h -p -U}, so
 *       what it says wins over them;
 *   <li>the options {@code -h -p -U} (and {@code -d} when it is a plain name);
 *   <li>the service entry named by {@code service=} or {@code PGSERVICE}: it fills in only what is
 *       still unset, but before the environment, so it wins over {@code PGHOST} and the rest;
 *   <li>the environment ({@code PGHOST}, {@code PGPORT}, ...: see {@link Keywords#ENVIRONMENT});
 *   <li>defaults: a local server's Unix socket if one is there, else {@code localhost}; port 5432;
 *       the operating-system user.
 * </ol>
 *
 * The default database is {@code postgres}, not the user's name as in psql: pg_stat_activity is
 * cluster-wide, so any database will do and {@code postgres} nearly always exists. With no password
 * from any of these, the password file supplies it.
 */
public final class SettingsResolver {
  static final String DEFAULT_DATABASE = "postgres";
  static final int DEFAULT_CONNECT_TIMEOUT = 10;

  private static final Set<String> TARGET_SESSION_ATTRS =
      Set.of("any", "read-write", "read-only", "primary", "standby", "prefer-standby");

  private final Environment environment;
  private final HostList hosts;
  private final ServiceFiles services;
  private final TlsSettings tls;
  private final PasswordLookup passwords;

  /** {@code warnings} receives one line per problem worth telling (an unsafe password file). */
  public SettingsResolver(Environment environment, Consumer<String> warnings) {
    this.environment = environment;
    this.hosts = new HostList(environment);
    this.services = new ServiceFiles(environment);
    this.tls = new TlsSettings(environment);
    this.passwords = new PasswordLookup(environment, warnings);
  }

  public ConnectionSettings resolve(ConnectionRequest request) {
    return settings(values(request));
  }

  /**
   * How a run over several servers names this one: the service its conninfo names, else its hosts
   * and ports as resolved ({@code db1.example.com:5432}). Resolving checks the conninfo: a bad one
   * is a {@link UsageError} here, before any server is reached.
   */
  public String label(ConnectionRequest request) {
    Map<String, String> values = values(request);
    ConnectionSettings settings = settings(values);
    String service = explicitService(request.dbname());
    if (service != null) {
      return service;
    }
    return settings.endpoints().stream()
        .map(e -> e.isSocket() ? e.socketFile().toString() : e.host() + ":" + e.port())
        .collect(java.util.stream.Collectors.joining(","));
  }

  /** Whether {@code text} is a conninfo string or URI, as a server of several must be given. */
  public static boolean isConninfo(String text) {
    return ConnectionUri.looksLikeOne(text) || ConninfoString.looksLikeOne(text);
  }

  private static String explicitService(String dbname) {
    if (!present(dbname)) {
      return null;
    }
    Map<String, String> values =
        ConnectionUri.looksLikeOne(dbname)
            ? ConnectionUri.parse(dbname)
            : ConninfoString.looksLikeOne(dbname) ? ConninfoString.parse(dbname) : Map.of();
    return present(values.get("service")) ? values.get("service") : null;
  }

  private Map<String, String> values(ConnectionRequest request) {
    Map<String, String> values = new HashMap<>();
    fromDbname(request.dbname(), values);
    fromOptions(request, values);
    fromService(values);
    fromEnvironment(values);
    return values;
  }

  /** A conninfo string or URI given as {@code -d} wins over {@code -h -p -U}; a name does not. */
  private static void fromDbname(String dbname, Map<String, String> values) {
    if (!present(dbname)) {
      return;
    }
    if (ConnectionUri.looksLikeOne(dbname)) {
      putPresent(values, ConnectionUri.parse(dbname));
    } else if (ConninfoString.looksLikeOne(dbname)) {
      putPresent(values, ConninfoString.parse(dbname));
    } else {
      values.put("dbname", dbname);
    }
  }

  private static void fromOptions(ConnectionRequest request, Map<String, String> values) {
    putIfPresent(values, "host", request.host());
    putIfPresent(values, "port", request.port());
    putIfPresent(values, "user", request.user());
    putIfPresent(values, "dbname", request.fallbackDbname());
  }

  /** The service entry fills in only what is still unset, but before the environment. */
  private void fromService(Map<String, String> values) {
    String service =
        present(values.get("service")) ? values.get("service") : environment.get("PGSERVICE");
    if (service != null) {
      services
          .find(service, values.get("servicefile"))
          .forEach((keyword, value) -> putIfPresent(values, keyword, value));
    }
  }

  private void fromEnvironment(Map<String, String> values) {
    Keywords.ENVIRONMENT.forEach(
        (variable, keyword) -> putIfPresent(values, keyword, environment.get(variable)));
  }

  /** The defaults for what is still unset, the password file, and the checks across settings. */
  private ConnectionSettings settings(Map<String, String> values) {
    List<Endpoint> endpoints = hosts.endpoints(values);
    String user = values.getOrDefault("user", environment.osUser());
    String database = values.getOrDefault("dbname", DEFAULT_DATABASE);
    String password = values.get("password");
    if (password == null) {
      password = passwords.find(values, endpoints, user, database).orElse(null);
    }
    String timeout = values.get("connect_timeout");
    boolean socket = endpoints.stream().anyMatch(Endpoint::isSocket);
    if (socket && endpoints.size() > 1) {
      throw new UsageError(
          "host \""
              + values.get("host")
              + "\": a Unix-socket directory cannot be one of several"
              + " hosts (give one socket directory, or several TCP hosts)");
    }
    String targetSessionAttrs = targetSessionAttrs(values);
    boolean loadBalance = loadBalanceHosts(values);
    return new ConnectionSettings(
        endpoints,
        user,
        database,
        password == null ? null : password.toCharArray(),
        timeout == null ? DEFAULT_CONNECT_TIMEOUT : SettingText.connectTimeout(timeout),
        values.get("application_name"),
        values.get("options"),
        socket ? Tls.NONE : tls.tls(values),
        targetSessionAttrs,
        loadBalance);
  }

  private static String targetSessionAttrs(Map<String, String> values) {
    String attrs = values.getOrDefault("target_session_attrs", "any");
    if (!TARGET_SESSION_ATTRS.contains(attrs)) {
      throw new UsageError("invalid target_session_attrs \"" + attrs + "\"");
    }
    return attrs;
  }

  private static boolean loadBalanceHosts(Map<String, String> values) {
    String loadBalance = values.getOrDefault("load_balance_hosts", "disable");
    if (!loadBalance.equals("disable") && !loadBalance.equals("random")) {
      throw new UsageError("invalid load_balance_hosts \"" + loadBalance + "\"");
    }
    return loadBalance.equals("random");
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
