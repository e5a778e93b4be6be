package dev.pgkill;

import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import java.util.List;

/**
 * Asks the person at the terminal before a filter's choice is signalled. Named PIDs are never
 * asked about: the user already said exactly which.
 */
@FunctionalInterface
public interface Confirmation {
  /** Whether to go ahead; {@code server} is {@code HOST:PORT} as the question names it. */
  boolean confirm(Action action, List<Session> sessions, String server);

  /** No one to ask (cron, a script) or {@code --yes}: go ahead. */
  Confirmation ASSUMED = (action, sessions, server) -> true;
}
