package dev.pgkill.signal;

import dev.pgkill.safety.Refused;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import java.time.Duration;
import java.util.Optional;

/**
 * What happened to one target.
 *
 * @param session the {@code pg_stat_activity} row it matched, empty when it matched none
 * @param message the server's WARNING or ERROR about this target, if it raised one
 * @param waited with --wait or --escalate: whether the signal really ended the query or session
 * @param escalation with --escalate: the terminate sent after a cancel that did not do it
 * @param reason pgkill's own words where the result alone does not say why: the filter a named PID
 *     failed, {@code does not match --user app}
 */
public record Outcome(
    Target target,
    Optional<Session> session,
    Action action,
    Result result,
    Optional<ServerMessage> message,
    Optional<Waited> waited,
    Optional<Outcome> escalation,
    Optional<String> reason) {

  public Outcome(
      Target target,
      Optional<Session> session,
      Action action,
      Result result,
      Optional<ServerMessage> message) {
    this(
        target,
        session,
        action,
        result,
        message,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Why a target was, or was not, signalled. */
  public enum Result {
    /** The server function returned true: the signal was sent. */
    SIGNALLED,
    /** --dry-run: it would have been signalled. */
    WOULD_SIGNAL,
    /** --dry-run: the server would refuse, as the target is a superuser's (or has no role). */
    WOULD_BE_REFUSED_SUPERUSER,
    /**
     * --dry-run: the server would refuse: neither the target's role's privileges nor
     * pg_signal_backend.
     */
    WOULD_BE_REFUSED_PRIVILEGE,
    /**
     * --dry-run: the server (18) would refuse an autovacuum worker without
     * pg_signal_autovacuum_worker.
     */
    WOULD_BE_REFUSED_AUTOVACUUM,
    /** --dry-run: the server never signals an auxiliary process such as the checkpointer. */
    WOULD_BE_REFUSED_AUXILIARY,
    /** --dry-run: what the server would do cannot be told from what pgkill's role sees. */
    MAY_BE_REFUSED,
    /** No backend of this server has that PID. */
    NOT_FOUND,
    /** The PID exists but fails the filters given with it. */
    NOT_MATCHED,
    /** The PID is pgkill's own session. */
    OWN_SESSION,
    /** Not a client backend, and no other backend type was asked for. */
    PROTECTED,
    /** backend_start is hidden from pgkill's role, so the identity cannot be checked. */
    UNVERIFIABLE,
    /**
     * backend_type is hidden from pgkill's role, so it is not known to be a client backend, and
     * --backend-type any was not given.
     */
    HIDDEN_TYPE,
    /** The PID now belongs to a backend other than the one the user named or pgkill inspected. */
    REPLACED,
    OTHER_SERVER,
    /** The backend exited between inspection and signal. */
    GONE,
    /**
     * --escalate: by the time of the terminate, the session had finished the query, or left the
     * transaction, that the cancel was sent for; it was left alone.
     */
    FINISHED_IN_GRACE,
    /** The server refused: the role may not signal that backend. */
    DENIED,
    /** The server returned false and said why in a WARNING. */
    WARNING,
    /** The server returned false and said nothing. */
    FALSE,
    /** The server raised an ERROR other than a permission error. */
    ERROR,
    /** The connection was lost while this target was being signalled: the signal may be sent. */
    CONNECTION_LOST,
    /** The connection was lost before this target's turn. */
    NOT_ATTEMPTED;

    /** Whether this is a dry run's prediction of what the server would do. */
    public boolean predicted() {
      return this == WOULD_SIGNAL
          || this == WOULD_BE_REFUSED_SUPERUSER
          || this == WOULD_BE_REFUSED_PRIVILEGE
          || this == WOULD_BE_REFUSED_AUTOVACUUM
          || this == WOULD_BE_REFUSED_AUXILIARY
          || this == MAY_BE_REFUSED;
    }

    /** Whether this result means the run lost its server, which makes the run fatal. */
    public boolean lostServer() {
      return this == CONNECTION_LOST || this == NOT_ATTEMPTED;
    }
  }

  /** What a refusal before any signal means for this action; the results share their names. */
  public static Outcome refused(Refused refused, Action action) {
    Outcome outcome =
        of(refused.target(), refused.session(), action, Result.valueOf(refused.refusal().name()));
    return refused.reason().map(outcome::withReason).orElse(outcome);
  }

  public static Outcome of(Target target, Session session, Action action, Result result) {
    return new Outcome(target, Optional.ofNullable(session), action, result, Optional.empty());
  }

  public static Outcome of(
      Target target, Session session, Action action, Result result, ServerMessage message) {
    return new Outcome(target, Optional.ofNullable(session), action, result, Optional.of(message));
  }

  /** This outcome, with what waiting for it found. */
  public Outcome withWaited(Waited waited) {
    return new Outcome(
        target, session, action, result, message, Optional.of(waited), escalation, reason);
  }

  /** This outcome, followed by the terminate --escalate sent. */
  public Outcome withEscalation(Outcome terminate) {
    return new Outcome(
        target, session, action, result, message, waited, Optional.of(terminate), reason);
  }

  /** This outcome, with pgkill's reason for it. */
  public Outcome withReason(String why) {
    return new Outcome(
        target, session, action, result, message, waited, escalation, Optional.of(why));
  }

  /**
   * This outcome as it stands when pgkill is stopped while waiting: every signal sent and not yet
   * waited for (the first, or the escalation's terminate) marked as interrupted after {@code
   * waitedSoFar}.
   */
  public Outcome stoppedWhileWaiting(Duration waitedSoFar) {
    Outcome stopped =
        signalled() && waited.isEmpty()
            ? withWaited(new Waited(Waited.Ending.INTERRUPTED, waitedSoFar))
            : this;
    return escalation
        .map(
            terminate ->
                new Outcome(
                    target,
                    session,
                    action,
                    result,
                    message,
                    stopped.waited,
                    Optional.of(terminate.stoppedWhileWaiting(waitedSoFar)),
                    reason))
        .orElse(stopped);
  }

  /** Whether the server returned true for the first signal. */
  public boolean signalled() {
    return result == Result.SIGNALLED;
  }

  /**
   * Whether this target counts as done for the exit status: signalled, or would be; and when pgkill
   * waited, really ended, by the first signal or by the escalation.
   */
  public boolean done() {
    if (escalation.isPresent()) {
      Outcome terminate = escalation.get();
      // Gone before the terminate: the session ended, which is what the escalation was for.
      return terminate.result() == Result.FINISHED_IN_GRACE
          || terminate.result() == Result.GONE
          || terminate.done();
    }
    return (result == Result.SIGNALLED || result == Result.WOULD_SIGNAL)
        && waited.map(w -> w.ending().done()).orElse(true);
  }

  /** Whether this target, or its escalation, lost the server. */
  public boolean lostServer() {
    return result.lostServer()
        || waited.map(w -> w.ending() == Waited.Ending.CONNECTION_LOST).orElse(false)
        || escalation.map(Outcome::lostServer).orElse(false);
  }
}
