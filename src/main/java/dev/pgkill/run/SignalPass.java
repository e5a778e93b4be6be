package dev.pgkill.run;

import dev.pgkill.connect.Connected;
import dev.pgkill.connect.ServerVersion;
import dev.pgkill.report.Asked;
import dev.pgkill.run.PassResult.Withheld;
import dev.pgkill.safety.Cleared;
import dev.pgkill.safety.Refused;
import dev.pgkill.safety.Safety;
import dev.pgkill.safety.Screened;
import dev.pgkill.safety.Screening;
import dev.pgkill.select.Found;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Session;
import dev.pgkill.select.SessionFinder;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Escalator;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Signaller;
import dev.pgkill.signal.Waiter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;

/** The path of a pass that signals: screen, --max, confirm a filter's choice, signal, wait. */
final class SignalPass {
  private final Connected connected;
  private final Invocation invocation;
  private final Confirmation confirmation;
  private final Logger log;
  private final RunGate gate;

  SignalPass(
      Connected connected,
      Invocation invocation,
      Confirmation confirmation,
      Logger log,
      RunGate gate) {
    this.connected = connected;
    this.invocation = invocation;
    this.confirmation = confirmation;
    this.log = log;
    this.gate = gate;
  }

  PassResult run(PassResult result, Found found, PassProgress progress) throws SQLException {
    Selection selection = invocation.selection();
    Screening screening =
        Safety.screen(
            selection, found, invocation.unverified(), connected.server().systemIdentifier());
    List<Cleared> cleared = screening.cleared();
    if (cleared.size() > invocation.max()) {
      return result.refused(
          Pgkill.moreThanMax(invocation, cleared.size()), Withheld.Why.OVER_MAX, sessions(cleared));
    }
    RunGate.Admission admission =
        cleared.isEmpty()
            ? RunGate.Admission.GO
            : gate.admit(sessions(cleared), selection.byFilter());
    if (admission.refusal().isPresent()) {
      return result.refused(admission.refusal().get(), admission.why(), sessions(cleared));
    }
    if (admission.asked() || (gate != RunGate.OPEN && !cleared.isEmpty())) {
      // Asked once for the whole run, or held until every server got here (--max-total counts
      // them all, the slowest server's connect_timeout included): as below, only what still
      // matches goes.
      screening = screening.keepOnly(recheck(cleared));
    } else if (selection.byFilter() && !cleared.isEmpty() && confirmation != Confirmation.ASSUMED) {
      Optional<String> refusal = unconfirmed(result, cleared, progress);
      if (refusal.isPresent()) {
        Withheld.Why why =
            confirmation.canAsk() ? Withheld.Why.NOT_CONFIRMED : Withheld.Why.NO_TERMINAL;
        return result.refused(refusal.get(), why, sessions(cleared));
      }
      // A person may take minutes to answer: only what still matches, as the same backend, goes.
      screening = screening.keepOnly(recheck(cleared));
    }
    Asked asked = Pgkill.asked(invocation);
    Screening screened = screening;
    List<Outcome> signalled =
        signal(
            screened.cleared(),
            sent -> progress.signalled(result.withOutcomes(asked, inTargetOrder(screened, sent))),
            sent -> progress.waiting(result.withOutcomes(asked, inTargetOrder(screened, sent))));
    return result.withOutcomes(asked, inTargetOrder(screened, signalled));
  }

  private static List<Session> sessions(List<Cleared> cleared) {
    return cleared.stream().map(Cleared::session).toList();
  }

  /** Asks the person at the terminal: empty when they said yes, else why nothing goes. */
  private Optional<String> unconfirmed(
      PassResult result, List<Cleared> cleared, PassProgress progress) {
    Action action = invocation.action();
    if (!confirmation.canAsk()) {
      return Optional.of(
          "refusing to "
              + action.verb()
              + " "
              + cleared.size()
              + (cleared.size() == 1 ? " session" : " sessions")
              + " chosen by a filter: there is no terminal to ask on; add --yes to signal"
              + " without asking; nothing was signalled");
    }
    progress.beforeAsking(result);
    if (!confirmation.confirm(
        action, cleared.stream().map(Cleared::session).toList(), connected.server())) {
      return Optional.of("not confirmed: nothing was signalled");
    }
    return Optional.empty();
  }

  /**
   * The sessions confirmed at the prompt, looked up again by PID with the same filters: which still
   * match, which fail a filter now (and which one), and, by their absence, which are gone.
   */
  private Found recheck(List<Cleared> cleared) throws SQLException {
    List<Target> pids = cleared.stream().map(s -> Target.of(s.session().pid())).toList();
    return new SessionFinder(connected.connection(), connected.server().version(), log)
        .find(new Selection(pids, invocation.selection().filters()));
  }

  /**
   * Signals, and with --wait or --escalate waits to see the signals work; {@code answered} hears
   * each batch of signals as soon as the server has answered them, {@code sent} what went out
   * before each wait begins.
   */
  private List<Outcome> signal(
      List<Cleared> cleared, Consumer<List<Outcome>> answered, Consumer<List<Outcome>> sent)
      throws SQLException {
    ServerVersion version = connected.server().version();
    Signaller signaller = new Signaller(connected.connection(), log);
    Waiter waiter = new Waiter(connected.connection(), version, log);
    Action action = invocation.action();
    if (invocation.escalate().isPresent()) {
      return new Escalator(signaller, waiter, log)
          .cancelThenTerminate(
              cleared,
              invocation.escalate().get(),
              invocation.finalWait().orElseThrow(),
              answered.andThen(sent));
    }
    List<Outcome> signalled = signaller.signal(cleared, action);
    answered.accept(signalled);
    if (invocation.waitFor().isEmpty()) {
      return signalled;
    }
    sent.accept(signalled);
    return waiter.await(signalled, action, invocation.waitFor().get());
  }

  /** The signalled targets among the refused ones, in the order the user named them. */
  private List<Outcome> inTargetOrder(Screening screening, List<Outcome> signalled) {
    Iterator<Outcome> next = signalled.iterator();
    List<Outcome> outcomes = new ArrayList<>(screening.targets().size());
    for (Screened screened : screening.targets()) {
      outcomes.add(
          screened instanceof Refused refused
              ? Outcome.refused(refused, invocation.action())
              : next.next());
    }
    return outcomes;
  }
}
