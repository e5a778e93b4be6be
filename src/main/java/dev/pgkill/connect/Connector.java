package dev.pgkill.connect;

import dev.pgkill.OneLine;
import dev.pgkill.connect.ConnectionRequest.PasswordPrompt;
import java.io.IOException;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.postgresql.Driver;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;

/**
 * Opens pgkill's own session, set up for the job: {@code application_name=pgkill} (unless the
 * user named the application, as psql keeps its own name only as a fallback) so a DBA can tell it
 * apart in pg_stat_activity, {@code client_min_messages=warning} so the server's WARNINGs reach it
 * whatever the role or database set, and a short {@code statement_timeout} so it never waits long
 * on a server in trouble. These go in the startup packet, which also outranks settings made with
 * ALTER ROLE and costs no extra round trip.
 */
public final class Connector {
  /** pgkill's own statements are catalogue look-ups and signals: each takes milliseconds. */
  static final String STATEMENT_TIMEOUT = "15s";

  /**
   * How long pgkill waits for any answer from the server once connected. Longer than the
   * statement timeout, so that the server's own timeout speaks first; short enough that a server
   * that stopped answering mid-run cannot hang a cron job.
   */
  static final int SOCKET_TIMEOUT_SECONDS = 30;

  /** SQLSTATE 53300: the server has no connection slot left. */
  private static final String TOO_MANY_CONNECTIONS = "53300";

  static final String APPLICATION_NAME = "pgkill";

  /** pgjdbc's SQLSTATE when the server wants a password and none was given. */
  private static final String PASSWORD_NEEDED = "08004";

  /** libpq's target_session_attrs as pgjdbc's targetServerType. */
  private static final Map<String, String> TARGET_SERVER_TYPES =
      Map.of(
          "any", "any",
          "read-write", "primary",
          "primary", "primary",
          "read-only", "secondary",
          "standby", "secondary",
          "prefer-standby", "preferSecondary");

  private final SettingsResolver resolver;
  private final PasswordSource passwords;
  private final Logger log;

  public Connector(SettingsResolver resolver, PasswordSource passwords, Logger log) {
    this.resolver = resolver;
    this.passwords = passwords;
    this.log = log;
  }

  public Connected open(ConnectionRequest request) throws ConnectFailure {
    ConnectionSettings settings = resolver.resolve(request);
    if (request.passwordPrompt() == PasswordPrompt.ALWAYS) {
      settings = settings.withPassword(askPassword(settings));
    }
    try {
      return connect(settings);
    } catch (SQLException e) {
      if (!settings.hasPassword()
          && request.passwordPrompt() == PasswordPrompt.WHEN_NEEDED
          && PASSWORD_NEEDED.equals(e.getSQLState())) {
        var password = passwords.ask(prompt(settings));
        if (password.isPresent()) {
          try {
            return connect(settings.withPassword(password.get()));
          } catch (SQLException again) {
            throw failure(settings, again);
          }
        }
      }
      throw failure(settings, e);
    }
  }

  private static String prompt(ConnectionSettings settings) {
    return "Password for user " + settings.user() + ": ";
  }

  private char[] askPassword(ConnectionSettings settings) throws ConnectFailure {
    return passwords
        .ask(prompt(settings))
        .orElseThrow(
            () ->
                new ConnectFailure(
                    "could not connect to " + settings + ": -W given but no terminal to ask for"
                        + " the password on",
                    null));
  }

  private Connected connect(ConnectionSettings settings) throws SQLException {
    log.info("connecting to {} sslmode={}", settings, settings.tls().mode());
    Properties properties = properties(settings);
    Connection connection;
    try (ClientKey key = ClientKey.of(settings.tls().key())) {
      if (key.path() != null) {
        properties.setProperty("sslkey", key.path());
      }
      key.algorithm().ifPresent(algorithm -> properties.setProperty("pemKeyAlgorithm", algorithm));
      connection = new Driver().connect(url(settings), properties);
    }
    if (connection == null) {
      throw new SQLException("the PostgreSQL driver did not accept the connection URL");
    }
    try {
      connection.setAutoCommit(true);
      ServerIdentity server = ServerIdentity.of(connection, settings.endpoints().get(0));
      log.info("connected to {}", server);
      return new Connected(connection, server);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * The hosts and the database; everything else goes in the properties. A socket connection names
   * localhost here: pgjdbc wants a host, and the socket factory ignores it.
   */
  static String url(ConnectionSettings settings) {
    String hosts =
        settings.endpoints().stream()
            .map(e -> (e.isSocket() ? "localhost" : bracketed(e.host())) + ":" + e.port())
            .collect(Collectors.joining(","));
    return "jdbc:postgresql://" + hosts + "/"
        + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8);
  }

  private static String bracketed(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  static Properties properties(ConnectionSettings settings) {
    Properties properties = new Properties();
    properties.setProperty("user", settings.user());
    properties.setProperty("authenticationPluginClassName", ResolvedPassword.class.getName());
    if (settings.hasPassword()) {
      properties.setProperty(ResolvedPassword.PROPERTY, new String(settings.password()));
    }
    properties.setProperty(
        "ApplicationName",
        settings.applicationName() == null ? APPLICATION_NAME : settings.applicationName());
    // pgkill's settings come last: in the startup packet the last -c of a setting wins. The
    // search_path keeps a database owner's functions (a public.pg_terminate_backend that only
    // returns true) from standing in for the server's, whatever ALTER DATABASE or ROLE set.
    String own =
        "-c statement_timeout=" + STATEMENT_TIMEOUT + " -c client_min_messages=warning"
            + " -c search_path=pg_catalog";
    properties.setProperty(
        "options", settings.options() == null ? own : settings.options() + " " + own);
    int timeout = settings.connectTimeoutSeconds();
    properties.setProperty("connectTimeout", Integer.toString(timeout));
    properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
    // libpq's timeout is per host; pgjdbc's loginTimeout covers them all.
    properties.setProperty("loginTimeout", Integer.toString(timeout * settings.endpoints().size()));
    // Every supported server is 10 or newer: startup parameters then replace pgjdbc's SET round trip.
    properties.setProperty("assumeMinServerVersion", "10");
    Tls tls = settings.tls();
    properties.setProperty("sslmode", tls.mode());
    setIfPresent(properties, "sslrootcert", tls.rootCert());
    setIfPresent(properties, "sslcert", tls.cert());
    setIfPresent(properties, "sslkey", tls.key());
    properties.setProperty("targetServerType", TARGET_SERVER_TYPES.get(settings.targetSessionAttrs()));
    properties.setProperty("loadBalanceHosts", Boolean.toString(settings.loadBalanceHosts()));
    if (settings.endpoints().get(0).isSocket()) {
      properties.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
      properties.setProperty("socketFactoryArg", settings.endpoints().get(0).socketFile().toString());
    }
    return properties;
  }

  private static void setIfPresent(Properties properties, String name, String value) {
    if (value != null) {
      properties.setProperty(name, value);
    }
  }

  private static ConnectFailure failure(ConnectionSettings settings, SQLException e) {
    return new ConnectFailure("could not connect to " + settings + ": " + reason(e), e);
  }

  /** The server's own words when it answered, else the network's, on one line. */
  static String reason(SQLException e) {
    String reason = e.getMessage();
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage server = p.getServerErrorMessage();
      reason = server.getMessage() + " (SQLSTATE " + server.getSQLState() + ")";
      if (TOO_MANY_CONNECTIONS.equals(server.getSQLState())) {
        reason += "; every connection slot is taken: a superuser (or, from PostgreSQL 16, a member"
            + " of pg_use_reserved_connections) can still get in through the reserved slots";
      }
    } else if (PASSWORD_NEEDED.equals(e.getSQLState())) {
      reason = "the server asked for a password and none was given (PGPASSWORD, ~/.pgpass, -W)";
    } else if (e.getCause() instanceof UnknownHostException unknown) {
      // Java's message is the bare host name; say it as libpq does.
      reason = "could not translate host name \"" + unknown.getMessage() + "\" to address";
    } else if (e.getCause() instanceof IOException io && io.getMessage() != null) {
      reason = io.getMessage();
    }
    return reason == null ? e.getClass().getSimpleName() : OneLine.of(reason);
  }
}
