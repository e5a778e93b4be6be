package dev.pgkill.connect;

import java.util.Optional;

/** Asks the person at the terminal for a password; empty when nobody is there to ask. */
@FunctionalInterface
public interface PasswordSource {
  Optional<char[]> ask(String prompt);

  PasswordSource NOBODY = prompt -> Optional.empty();
}
