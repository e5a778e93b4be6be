package dev.pgkill.connect;

/**
 * The connection options as the user typed them on the command line; null where not given. The
 * environment and defaults fill in the rest: see {@link SettingsResolver}.
 */
public record ConnectionRequest(
    String host, String port, String user, String dbname, PasswordPrompt passwordPrompt) {

  public static ConnectionRequest none() {
    return new ConnectionRequest(null, null, null, null, PasswordPrompt.WHEN_NEEDED);
  }

  /** When to ask the person at the terminal for a password, as psql's -W and -w decide. */
  public enum PasswordPrompt {
    /** {@code -W}: always, before connecting. */
    ALWAYS,
    /** {@code -w}: never; a server that wants a password fails the run. */
    NEVER,
    /** Neither: only when the server asks for one and a terminal is there. */
    WHEN_NEEDED
  }
}
