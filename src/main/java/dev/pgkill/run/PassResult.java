package dev.pgkill.run;

import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.Asked;
import dev.pgkill.report.Report;
import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one pass over one server found and did, as a value: the pass prints nothing, a report
 * renders this afterwards.
 *
 * @param server the server the pass ran on; null when it never connected
 * @param hints why the selection may have found fewer sessions than expected
 * @param prepared with --blockers: prepared transactions in the way, which are never signalled
 * @param locks with --blockers: who waits for whom, for the sessions queued behind {@code prepared}
 * @param holders with --xmin-older-than: what else holds back vacuum, never signalled
 * @param listed the sessions a listing shows, or those a dry run chose beyond --max
 * @param outcomes what became of each target, and what the pass was asked to do
 * @param error a refusal, or a failure outside any target, as one line
 * @param withheld with a refusal of the whole pass: the sessions it left alone, for the audit
 */
public record PassResult(
    ServerIdentity server,
    List<String> hints,
    List<PreparedBlocker> prepared,
    LockGraph locks,
    HorizonHolders holders,
    Optional<Listed> listed,
    Optional<Outcomes> outcomes,
    Optional<String> error,
    Optional<Withheld> withheld,
    ExitStatus status) {

  public PassResult {
    hints = List.copyOf(hints);
    prepared = List.copyOf(prepared);
  }

  /** Sessions shown as a table (or a list of PIDs), with the sessions each one blocks. */
  public record Listed(List<Session> sessions, LockGraph locks) {
    public Listed {
      sessions = List.copyOf(sessions);
    }
  }

  /**
   * The sessions a refusal of the whole pass left alone, though each was cleared by the safety
   * rules: the report says it in one line, the audit names each.
   */
  public record Withheld(Why why, List<Session> sessions) {
    public Withheld {
      sessions = List.copyOf(sessions);
    }

    /** Why the whole pass was refused. */
    public enum Why {
      /** More than --max. */
      OVER_MAX,
      /** The person asked at the terminal did not say yes. */
      NOT_CONFIRMED,
      /** A filter chose them, with no terminal to ask on and no --yes. */
      NO_TERMINAL
    }
  }

  /** One outcome per target, in the order the user named them. */
  public record Outcomes(Asked asked, List<Outcome> outcomes) {
    public Outcomes {
      outcomes = List.copyOf(outcomes);
    }
  }

  /** A pass that has reached its server and found nothing yet. */
  static PassResult on(ServerIdentity server) {
    return new PassResult(
        server,
        List.of(),
        List.of(),
        LockGraph.NONE,
        HorizonHolders.NONE,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        ExitStatus.NOTHING_DONE);
  }

  /** A pass that could not connect. */
  static PassResult unreachable(String message) {
    return on(null).failed(message);
  }

  PassResult withHints(List<String> hints) {
    return found(hints, prepared, locks, holders);
  }

  /** What is never signalled but must be named: prepared transactions, replication slots. */
  PassResult withHolders(List<PreparedBlocker> prepared, LockGraph locks, HorizonHolders holders) {
    return found(hints, prepared, locks, holders);
  }

  /** A listing: done when it found anything to show. */
  PassResult listing(List<Session> sessions, LockGraph locks) {
    ExitStatus found =
        sessions.isEmpty() && prepared.isEmpty() && holders.isEmpty()
            ? ExitStatus.NOTHING_DONE
            : ExitStatus.OK;
    return done(Optional.of(new Listed(sessions, locks)), outcomes, error, withheld, found);
  }

  /** A listing of prepared transactions alone: done when it found any. */
  PassResult preparedOnly() {
    return done(
        listed,
        outcomes,
        error,
        withheld,
        holders.isEmpty() ? ExitStatus.NOTHING_DONE : ExitStatus.OK);
  }

  PassResult withOutcomes(Asked asked, List<Outcome> outcomes) {
    return done(
        listed,
        Optional.of(new Outcomes(asked, outcomes)),
        error,
        withheld,
        ExitStatus.of(outcomes));
  }

  /** Refused by a safety rule, or by the person asked: nothing was signalled. */
  PassResult refused(String message) {
    return done(listed, outcomes, Optional.of(message), withheld, ExitStatus.REFUSED);
  }

  /**
   * Refused whole, {@code message} saying why: these sessions, each cleared by the safety rules,
   * were left alone, which the audit names one by one.
   */
  PassResult refused(String message, Withheld.Why why, List<Session> sessions) {
    return done(
        listed,
        outcomes,
        Optional.of(message),
        Optional.of(new Withheld(why, sessions)),
        ExitStatus.REFUSED);
  }

  /** Could not connect, or the server failed outside any target. */
  PassResult failed(String message) {
    return done(listed, outcomes, Optional.of(message), withheld, ExitStatus.FATAL);
  }

  // The two halves of a pass change apart: what the selection found around its targets, then
  // what became of them; each wither names only the half it changes.
  private PassResult found(
      List<String> hints, List<PreparedBlocker> prepared, LockGraph locks, HorizonHolders holders) {
    return new PassResult(
        server, hints, prepared, locks, holders, listed, outcomes, error, withheld, status);
  }

  private PassResult done(
      Optional<Listed> listed,
      Optional<Outcomes> outcomes,
      Optional<String> error,
      Optional<Withheld> withheld,
      ExitStatus status) {
    return new PassResult(
        server, hints, prepared, locks, holders, listed, outcomes, error, withheld, status);
  }

  /**
   * The process was stopped while the pass waited: every signal not yet seen to work was cut short.
   */
  PassResult stoppedWhileWaiting(Duration waited) {
    return outcomes
        .map(
            o ->
                withOutcomes(
                    o.asked(),
                    o.outcomes().stream()
                        .map(outcome -> outcome.stoppedWhileWaiting(waited))
                        .toList()))
        .orElse(this);
  }

  /** Everything, in the order the command has always printed it. */
  public void render(Report report) {
    renderFound(report);
    renderBody(report);
    renderError(report);
  }

  /**
   * What the selection found besides its targets: hints on standard error, then what is never
   * signalled, first, so that the summary is always the last line.
   */
  void renderFound(Report report) {
    hints.forEach(report::hint);
    report.preparedBlockers(prepared, locks);
    report.horizonHolders(holders);
  }

  /** The sessions listed or the outcomes, each with its summary. */
  void renderBody(Report report) {
    listed.ifPresent(l -> report.sessions(l.sessions(), l.locks()));
    outcomes.ifPresent(o -> report.outcomes(o.asked(), o.outcomes()));
  }

  void renderError(Report report) {
    error.ifPresent(report::error);
  }
}
