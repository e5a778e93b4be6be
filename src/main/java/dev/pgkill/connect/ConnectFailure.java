package dev.pgkill.connect;

/** pgkill could not connect or authenticate: a one-line message naming what was tried and why. */
public final class ConnectFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public ConnectFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether the server answered and refused who pgkill is (SQLSTATE class 28: authentication,
   * authorisation) or where it asked to go (3D000: no such database): a setting to fix, which
   * asking again will not change, unlike a server that is down or restarting.
   */
  public boolean refusedBySettings() {
    if (getCause() instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
      return sql.getSQLState().startsWith("28") || sql.getSQLState().equals("3D000");
    }
    return false;
  }
}
