package dev.pgkill.connect;

import java.nio.file.Path;
import java.util.Map;

/**
 * What pgkill reads from the process around it: the environment variables, the operating-system
 * user and the home directory. Given to the code as a value so tests can set any of it.
 */
public record Environment(Map<String, String> variables, String osUser, Path home) {

  public Environment {
    variables = Map.copyOf(variables);
  }

  /** The variable's value, or null when it is unset or empty (libpq ignores empty ones). */
  public String get(String name) {
    String value = variables.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
