package dev.pgkill.connect;

/** pgkill could not connect or authenticate: a one-line message naming what was tried and why. */
public final class ConnectFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public ConnectFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
