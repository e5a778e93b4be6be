package dev.pgkill.connect;

import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * The server asked for a password and pgkill had none: the one failure after which pgkill may ask
 * for a password. pgjdbc reports it with SQLSTATE 08004, as it reports a server without TLS when
 * TLS is required; this type tells the two apart whatever language pgjdbc speaks.
 */
final class PasswordNeeded extends PSQLException {
  private static final long serialVersionUID = 1L;

  PasswordNeeded() {
    super(
        "the server asked for a password and none was given (PGPASSWORD, ~/.pgpass, -W)",
        PSQLState.CONNECTION_REJECTED);
  }
}
