package dev.pgkill.connect;

import dev.pgkill.connect.ConnectionRequest.PasswordPrompt;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;

/**
 * Opens pgkill's own session, set up for the job: {@code application_name=pgkill} so a DBA can
 * tell it apart in pg_stat_activity, {@code client_min_messages=warning} so the server's WARNINGs
 * reach it whatever the role or database set, and a short {@code statement_timeout} so it never
 * waits long on a server in trouble. These go in the startup packet, which also outranks settings
 * made with ALTER ROLE and costs no extra round trip.
 */
public final class Connector {
  /** pgkill's own statements are catalogue look-ups and signals: each takes milliseconds. */
  static final String STATEMENT_TIMEOUT = "15s";

  /** pgjdbc's SQLSTATE when the server wants a password and none was given. */
  private static final String PASSWORD_NEEDED = "08004";

  private final SettingsResolver resolver;
  private final PasswordSource passwords;
  private final Logger log;

  public Connector(SettingsResolver resolver, PasswordSource passwords, Logger log) {
    this.resolver = resolver;
    this.passwords = passwords;
    this.log = log;
  }

  public Connection open(ConnectionRequest request) throws ConnectFailure {
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
        var password = passwords.ask("Password for user " + settings.user() + ": ");
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

  private char[] askPassword(ConnectionSettings settings) throws ConnectFailure {
    return passwords
        .ask("Password for user " + settings.user() + ": ")
        .orElseThrow(
            () ->
                new ConnectFailure(
                    "could not connect to " + settings + ": -W given but no terminal to ask for"
                        + " the password on",
                    null));
  }

  private Connection connect(ConnectionSettings settings) throws SQLException {
    log.info("connecting to {}", settings);
    Connection connection = new Driver().connect(url(settings), properties(settings));
    if (connection == null) {
      throw new SQLException("the PostgreSQL driver did not accept the connection URL");
    }
    connection.setAutoCommit(true);
    log.info("connected: PostgreSQL {}", connection.getMetaData().getDatabaseProductVersion());
    return connection;
  }

  static String url(ConnectionSettings settings) {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "jdbc:postgresql://" + host + ":" + settings.port() + "/"
        + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8);
  }

  static Properties properties(ConnectionSettings settings) {
    Properties properties = new Properties();
    properties.setProperty("user", settings.user());
    if (settings.hasPassword()) {
      properties.setProperty("password", new String(settings.password()));
    }
    properties.setProperty("ApplicationName", "pgkill");
    properties.setProperty(
        "options",
        "-c statement_timeout=" + STATEMENT_TIMEOUT + " -c client_min_messages=warning");
    properties.setProperty("connectTimeout", Integer.toString(settings.connectTimeoutSeconds()));
    properties.setProperty("loginTimeout", Integer.toString(settings.connectTimeoutSeconds()));
    // Every supported server is 10 or newer: startup parameters then replace pgjdbc's SET round trip.
    properties.setProperty("assumeMinServerVersion", "10");
    return properties;
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
    } else if (e.getCause() instanceof IOException io && io.getMessage() != null) {
      reason = io.getMessage();
    } else if (PASSWORD_NEEDED.equals(e.getSQLState())) {
      reason = "the server asked for a password and none was given (PGPASSWORD, -W)";
    }
    return reason == null ? e.getClass().getSimpleName() : reason.replaceAll("\\s*\\R\\s*", " ");
  }
}
