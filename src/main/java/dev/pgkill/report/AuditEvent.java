package dev.pgkill.report;

import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import java.util.Optional;

/**
 * One decision about one session, or the verdict of waiting for one signal, as the audit trail
 * records it.
 *
 * @param pid the target's PID, whether or not it matched a session
 * @param session the {@code pg_stat_activity} row it matched, when it matched one
 * @param decision a stable snake_case word: an outcome's result as {@code --output json} names it,
 *     {@code over_max}, {@code not_confirmed}, {@code no_terminal}, or {@code waited}
 * @param signalled the server's boolean, when a signalling function was called
 * @param message the server's WARNING or ERROR about this target
 * @param why pgkill's own words where the decision alone does not say why
 * @param waited for a wait's verdict: how the wait ended
 * @param escalation whether this is the terminate {@code --escalate} sent after a cancel
 */
public record AuditEvent(
    int pid,
    Optional<Session> session,
    Action action,
    String decision,
    Optional<Boolean> signalled,
    Optional<ServerMessage> message,
    Optional<String> why,
    Optional<Waited> waited,
    boolean escalation) {

  /** A decision that sent nothing: a whole pass refused, with this session among its choice. */
  public static AuditEvent withheld(Session session, Action action, String decision) {
    return new AuditEvent(
        session.pid(),
        Optional.of(session),
        action,
        decision,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }
}
