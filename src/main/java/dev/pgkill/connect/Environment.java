package dev.pgkill.connect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What pgkill reads from the process around it: the environment variables, the operating-system
 * user, the home directory (of ~/.pgpass, ~/.pg_service.conf and ~/.postgresql) and where a local
 * server's Unix-domain sockets are looked for. Given to the code as a value so tests can set any of
 * it.
 */
public record Environment(
    Map<String, String> variables, String osUser, Path home, List<Path> socketDirectories) {

  /**
   * Where libpq builds look for a local server when no host is given: Debian and Red Hat use
   * /var/run/postgresql, the PostgreSQL sources /tmp.
   */
  public static final List<Path> DEFAULT_SOCKET_DIRECTORIES =
      List.of(Path.of("/var/run/postgresql"), Path.of("/tmp"));

  public Environment {
    variables = Map.copyOf(variables);
    socketDirectories = List.copyOf(socketDirectories);
  }

  public Environment(Map<String, String> variables, String osUser, Path home) {
    this(variables, osUser, home, DEFAULT_SOCKET_DIRECTORIES);
  }

  /**
   * The process's environment, with libpq's home directory (since PostgreSQL 14): {@code $HOME}, or
   * the user's entry in the password database ({@code accountHome}, Java's user.home) when HOME is
   * unset or empty.
   */
  public static Environment of(Map<String, String> variables, String osUser, Path accountHome) {
    String home = variables.get("HOME");
    return new Environment(
        variables, osUser, home == null || home.isEmpty() ? accountHome : Path.of(home));
  }

  /** The variable's value, or null when it is unset or empty (libpq ignores empty ones). */
  public String get(String name) {
    String value = variables.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
