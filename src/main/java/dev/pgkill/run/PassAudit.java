package dev.pgkill.run;

import dev.pgkill.report.AuditEvent;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.AuditTrail.Where;
import dev.pgkill.run.PassResult.Withheld;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The audit of one signalling pass, told what the pass does as it goes: each signal is written as
 * soon as the server has answered it, before any wait, so that a stopped or killed pgkill cannot
 * lose it; what is left (a refused pass, the waits' verdicts) when the pass is done. Each line
 * once.
 */
final class PassAudit implements PassProgress {
  private final AuditTrail trail;
  private final Where where;
  private final Action action;
  private final PassProgress progress;
  private final Set<String> written = new HashSet<>();

  PassAudit(AuditTrail trail, Where where, Action action, PassProgress progress) {
    this.trail = trail;
    this.where = where;
    this.action = action;
    this.progress = progress;
  }

  @Override
  public void beforeAsking(PassResult soFar) {
    progress.beforeAsking(soFar);
  }

  @Override
  public void signalled(PassResult soFar) {
    decisions(soFar);
    progress.signalled(soFar);
  }

  @Override
  public void waiting(PassResult soFar) {
    progress.waiting(soFar);
  }

  /** The pass is done: every decision not yet written, then the waits' verdicts. */
  void done(PassResult result) {
    result.withheld().ifPresent(this::withheld);
    decisions(result);
    for (Outcome outcome : outcomes(result)) {
      outcome.waited().ifPresent(w -> once("wait", waited(outcome, false)));
      outcome
          .escalation()
          .filter(terminate -> terminate.waited().isPresent())
          .ifPresent(terminate -> once("escalation wait", waited(terminate, true)));
    }
  }

  private void withheld(Withheld withheld) {
    String decision = withheld.why().name().toLowerCase(Locale.ROOT);
    for (Session session : withheld.sessions()) {
      once("withheld", AuditEvent.withheld(session, action, decision));
    }
  }

  /** Each outcome's decision, and its escalation's, unless written already. */
  private void decisions(PassResult soFar) {
    for (Outcome outcome : outcomes(soFar)) {
      once("decision", decision(outcome, false));
      outcome.escalation().ifPresent(terminate -> once("escalation", decision(terminate, true)));
    }
  }

  private static List<Outcome> outcomes(PassResult result) {
    return result.outcomes().map(PassResult.Outcomes::outcomes).orElse(List.of());
  }

  private static AuditEvent decision(Outcome outcome, boolean escalation) {
    return new AuditEvent(
        outcome.target().pid(),
        outcome.session(),
        outcome.action(),
        outcome.result().name().toLowerCase(Locale.ROOT),
        called(outcome.result()) ? Optional.of(outcome.signalled()) : Optional.empty(),
        outcome.message(),
        outcome.reason(),
        Optional.empty(),
        escalation);
  }

  private static AuditEvent waited(Outcome outcome, boolean escalation) {
    return new AuditEvent(
        outcome.target().pid(),
        outcome.session(),
        outcome.action(),
        "waited",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        outcome.waited(),
        escalation);
  }

  /** Whether the server's signalling function was called and gave its answer. */
  private static boolean called(Outcome.Result result) {
    return switch (result) {
      case SIGNALLED, WARNING, FALSE -> true;
      default -> false;
    };
  }

  /** Writes the line unless this kind of line about this PID was written in this pass. */
  private void once(String kind, AuditEvent event) {
    if (written.add(kind + " " + event.pid())) {
      trail.write(where, event);
    }
  }
}
