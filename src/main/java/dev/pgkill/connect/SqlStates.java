package dev.pgkill.connect;

import java.sql.SQLException;

/**
 * The SQLSTATEs pgkill acts on, in one place: the server's words change with its version and
 * language, its codes do not.
 */
public final class SqlStates {
  /** 42501, insufficient_privilege: the role may not signal that backend. */
  public static final String INSUFFICIENT_PRIVILEGE = "42501";

  /** Class 08, connection exception: the socket or the protocol failed. */
  private static final String CONNECTION_EXCEPTION = "08";

  /**
   * Class 57P, operator intervention that ends the session: 57P01 admin_shutdown (terminated by
   * another DBA, or a fast shutdown), 57P02 crash_shutdown, 57P03 cannot_connect_now, ...
   */
  private static final String SESSION_ENDED = "57P";

  private SqlStates() {}

  /**
   * Whether the error means pgkill's own connection is gone. A FATAL that ends its session leaves
   * it as unusable as a broken socket does.
   */
  public static boolean connectionLost(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith(CONNECTION_EXCEPTION) || state.startsWith(SESSION_ENDED));
  }
}
