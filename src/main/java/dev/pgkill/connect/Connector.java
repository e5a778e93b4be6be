package dev.pgkill.connect;

import static dev.pgkill.connect.FailureReason.failure;

import dev.pgkill.connect.ConnectionRequest.PasswordPrompt;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;
import org.slf4j.Logger;

/**
 * Opens pgkill's own session, set up for the job: {@code application_name=pgkill} (unless the user
 * named the application, as psql keeps its own name only as a fallback) so a DBA can tell it apart
 * in pg_stat_activity, {@code client_min_messages=warning} so the server's WARNINGs reach it
 * whatever the role or database set, and a short {@code statement_timeout} so it never waits long
 * on a server in trouble. These go in the startup packet, which also outranks settings made with
 * ALTER ROLE and costs no extra round trip.
 */
public final class Connector {
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
                    "could not connect to "
                        + settings
                        + ": -W given but no terminal to ask for"
                        + " the password on",
                    null));
  }

  private Connected connect(ConnectionSettings settings) throws SQLException {
    log.info("connecting to {} sslmode={}", settings, settings.tls().mode());
    Properties properties = DriverProperties.properties(settings);
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
      connection = new Driver().connect(DriverProperties.url(settings), properties);
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
}
