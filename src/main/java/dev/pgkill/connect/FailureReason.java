package dev.pgkill.connect;

import dev.pgkill.text.SafeText;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.postgresql.util.GT;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Why a connection failed, in the words psql would use: pgjdbc's own stay in the cause. */
final class FailureReason {
  /** SQLSTATE 53300: the server has no connection slot left. */
  private static final String TOO_MANY_CONNECTIONS = "53300";

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

  private FailureReason() {}

  /** The failure in the words psql would use; pgjdbc's own stay in the cause, shown by -v. */
  static ConnectFailure failure(ConnectionSettings settings, SQLException e) {
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
        reason +=
            "; every connection slot is taken: a superuser (or, from PostgreSQL 16, a member"
                + " of pg_use_reserved_connections) can still get in through the reserved slots";
      }
    } else if (e instanceof PasswordNeeded) {
      reason = e.getMessage();
    } else if (GT.tr("The server does not support SSL.").equals(reason)) {
      reason = "server does not support SSL, but SSL was required";
    } else if (NOT_THE_TARGET.containsKey(attrs)
        && GT.tr(
                "Could not find a server with specified targetServerType: {0}",
                DriverProperties.TARGET_SERVER_TYPES.get(attrs))
            .equals(reason)) {
      reason = NOT_THE_TARGET.get(attrs);
    } else if (e.getCause() instanceof FileNotFoundException
        && GT.tr("Could not open SSL root certificate file {0}.", settings.tls().rootCert())
            .equals(reason)) {
      reason =
          "root certificate file \""
              + settings.tls().rootCert()
              + "\" does not exist; either"
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
