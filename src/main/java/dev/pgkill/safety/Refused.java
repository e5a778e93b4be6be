package dev.pgkill.safety;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import java.util.Optional;

/**
 * A target that is not signalled, and why.
 *
 * @param session its row as pgkill saw it, or null when no backend has the PID
 * @param reason for {@link Refusal#NOT_MATCHED}, the option it fails, as the user typed it
 */
public record Refused(Target target, Session session, Refusal refusal, Optional<String> reason)
    implements Screened {

  public Refused(Target target, Session session, Refusal refusal) {
    this(target, session, refusal, Optional.empty());
  }
}
