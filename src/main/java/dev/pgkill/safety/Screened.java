package dev.pgkill.safety;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;

/** One target after screening: {@link Cleared} to be signalled, or {@link Refused}. */
public sealed interface Screened permits Cleared, Refused {
  Target target();

  /** The {@code pg_stat_activity} row it matched; null when it matched none. */
  Session session();
}
