package dev.pgkill.connect;

import dev.pgkill.text.SafeText;

import dev.pgkill.connect.ConnectionRequest.PasswordPrompt;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.postgresql.Driver;
import org.postgresql.util.GT;
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

  /** libpq's target_session_attrs as pgjdbc's targetServerType. */
  private static final Map<String, String> TARGET_SERVER_TYPES =
      Map.of(
          "any", "any",
          "read-write", "primary",
          "primary", "primary",
          "read-only", "secondary",
          "standby", "secondary",
          "prefer-standby", "preferSecondary");

  /**
   * Why a server did not do for target_session_attrs, in libpq's words; pgjdbc names only its own
   * targetServerType.
   */
  private static final Map<String, String> NOT_THE_TARGET =
      Map.of(
          "read-write", "session is read-only",
          // pgjdbc's primary is libpq's read-write: a read-only session does not do either.
          "primary", "server is in hot standby mode or the session is read-only",
          "read-only", "session is not read-only",
          "standby", "server is not in hot standby mode");

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
          && e instanceof PasswordNeeded) {
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
    Tls tls = settings.tls();
    boolean certificate = tls.sendsCertificate();
    if (certificate) {
      ClientKey.check(tls.key());
    }
    // Never unset, which would make pgjdbc look in Java's user.home rather than $HOME as libpq
    // does: an empty name is none.
    properties.setProperty("sslcert", certificate ? tls.cert() : "");
    Connection connection;
    try (ClientKey key = ClientKey.of(certificate ? tls.key() : null)) {
      properties.setProperty("sslkey", key.path() == null ? "" : key.path());
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
    if (tls.mode().equals("verify-full")) {
      properties.setProperty("sslhostnameverifier", LibpqHostnameVerifier.class.getName());
    }
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

  /** The failure in the words psql would use; pgjdbc's own stay in the cause, shown by -v. */
  private static ConnectFailure failure(ConnectionSettings settings, SQLException e) {
    return new ConnectFailure("could not connect to " + settings + ": " + reason(settings, e), e);
  }

  /**
   * The server's own words when it answered, else libpq's for what pgjdbc says its own way, else
   * the network's, on one line. pgjdbc's messages are compared in the language it speaks.
   */
  static String reason(ConnectionSettings settings, SQLException e) {
    String reason = e.getMessage();
    String attrs = settings.targetSessionAttrs();
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage server = p.getServerErrorMessage();
      reason = server.getMessage() + " (SQLSTATE " + server.getSQLState() + ")";
      if (TOO_MANY_CONNECTIONS.equals(server.getSQLState())) {
        reason += "; every connection slot is taken: a superuser (or, from PostgreSQL 16, a member"
            + " of pg_use_reserved_connections) can still get in through the reserved slots";
      }
    } else if (e instanceof PasswordNeeded) {
      reason = e.getMessage();
    } else if (GT.tr("The server does not support SSL.").equals(reason)) {
      reason = "server does not support SSL, but SSL was required";
    } else if (NOT_THE_TARGET.containsKey(attrs)
        && GT.tr("Could not find a server with specified targetServerType: {0}",
                TARGET_SERVER_TYPES.get(attrs))
            .equals(reason)) {
      reason = NOT_THE_TARGET.get(attrs);
    } else if (e.getCause() instanceof FileNotFoundException
        && GT.tr("Could not open SSL root certificate file {0}.", settings.tls().rootCert())
            .equals(reason)) {
      reason = "root certificate file \"" + settings.tls().rootCert() + "\" does not exist; either"
          + " provide the file, use the system's trusted roots with sslrootcert=system, or change"
          + " sslmode to disable server certificate verification";
    } else if (e.getCause() instanceof SSLException && causedBy(e, CertificateException.class)) {
      reason = "SSL error: certificate verify failed";
    } else if (e.getCause() instanceof UnknownHostException unknown) {
      // Java's message is the bare host name; say it as libpq does.
      reason = "could not translate host name \"" + unknown.getMessage() + "\" to address";
    } else if (e.getCause() instanceof IOException io && io.getMessage() != null) {
      reason = io.getMessage();
    }
    return reason == null ? e.getClass().getSimpleName() : SafeText.oneLine(reason);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
