package dev.pgkill.connect;

import dev.pgkill.UsageError;

/**
 * Resolves the connection settings in libpq's order of precedence: command-line options first,
 * then the environment ({@code PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGCONNECT_TIMEOUT}),
 * then defaults. The default database is {@code postgres}, not the user's name as in psql:
 * pg_stat_activity is cluster-wide, so any database will do and {@code postgres} nearly always
 * exists.
 */
public final class SettingsResolver {
  static final String DEFAULT_HOST = "localhost";
  static final int DEFAULT_PORT = 5432;
  static final String DEFAULT_DATABASE = "postgres";
  static final int DEFAULT_CONNECT_TIMEOUT = 10;

  private final Environment environment;

  public SettingsResolver(Environment environment) {
    this.environment = environment;
  }

  public ConnectionSettings resolve(ConnectionRequest request) {
    String host = first(request.host(), environment.get("PGHOST"), DEFAULT_HOST);
    String portText = first(request.port(), environment.get("PGPORT"), null);
    int port = portText == null ? DEFAULT_PORT : port(portText);
    String user = first(request.user(), environment.get("PGUSER"), environment.osUser());
    String database = first(request.dbname(), environment.get("PGDATABASE"), DEFAULT_DATABASE);
    String password = environment.get("PGPASSWORD");
    String timeout = environment.get("PGCONNECT_TIMEOUT");
    return new ConnectionSettings(
        host,
        port,
        user,
        database,
        password == null ? null : password.toCharArray(),
        timeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout(timeout));
  }

  private static String first(String option, String variable, String fallback) {
    if (option != null && !option.isEmpty()) {
      return option;
    }
    return variable != null ? variable : fallback;
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
}
