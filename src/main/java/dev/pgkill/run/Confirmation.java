package dev.pgkill.run;

import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import java.util.List;
import java.util.Map;

/**
 * Asks the person at the terminal before a filter's choice is signalled. Named PIDs are never asked
 * about: the user already said exactly which. With no one to ask, a filter's choice is never
 * signalled without {@code --yes}: a cron job must say so.
 */
@FunctionalInterface
public interface Confirmation {
  /**
   * Whether to go ahead; {@code server} is the server the session reached, as the question names
   * it.
   */
  boolean confirm(Action action, List<Session> sessions, ServerIdentity server);

  /**
   * Whether to go ahead on several servers at once, asked once for the whole run: {@code byServer}
   * holds each server's choice under its label, in the order the servers were given.
   */
  default boolean confirmAll(Action action, Map<String, List<Session>> byServer) {
    return false;
  }

  /** Whether there is anyone to ask: a controlling terminal. */
  default boolean canAsk() {
    return true;
  }

  /** {@code --yes}: go ahead without asking. */
  Confirmation ASSUMED = (action, sessions, server) -> true;
}
