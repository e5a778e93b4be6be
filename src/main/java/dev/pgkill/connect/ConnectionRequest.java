package dev.pgkill.connect;

/**
 * The connection options as the user typed them on the command line; null where not given. The
 * environment and defaults fill in the rest: see {@link SettingsResolver}.
 *
 * @param dbname {@code -d}, or one server's {@code --server} conninfo in a run over several
 * @param fallbackDbname with several servers, {@code -d NAME}: the database of each server whose
 *     conninfo names none, as psql's {@code -d} fills in after a conninfo's own keywords
 */
public record ConnectionRequest(
    String host,
    String port,
    String user,
    String dbname,
    PasswordPrompt passwordPrompt,
    String fallbackDbname) {

  public ConnectionRequest(
      String host, String port, String user, String dbname, PasswordPrompt passwordPrompt) {
    this(host, port, user, dbname, passwordPrompt, null);
  }

  public static ConnectionRequest none() {
    return new ConnectionRequest(null, null, null, null, PasswordPrompt.WHEN_NEEDED);
  }

  /**
   * One server of several: its conninfo in place of {@code -d}, with this request's {@code -h -p
   * -U} (and a plain {@code -d} name) filling in what the conninfo leaves unset.
   */
  public ConnectionRequest forServer(String conninfo) {
    return new ConnectionRequest(host, port, user, conninfo, passwordPrompt, dbname);
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
