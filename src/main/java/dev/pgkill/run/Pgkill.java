package dev.pgkill.run;

import dev.pgkill.text.SafeText;


import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connected;
import dev.pgkill.connect.Connector;
import dev.pgkill.connect.ServerVersion;
import dev.pgkill.report.Asked;
import dev.pgkill.report.Report;
import dev.pgkill.run.Invocation.Mode;
import dev.pgkill.select.Found;
import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.Hints;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Selection;
import dev.pgkill.select.SessionFinder;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Prediction;
import dev.pgkill.safety.Safety;
import dev.pgkill.safety.Cleared;
import dev.pgkill.safety.Refused;
import dev.pgkill.safety.Screened;
import dev.pgkill.safety.Screening;
import dev.pgkill.signal.Escalator;
import dev.pgkill.signal.Signaller;
import dev.pgkill.signal.Waiter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/** One run, the straight path: connect, select, screen for safety, confirm, signal, report. */
public final class Pgkill {
  private final Connector connector;
  private final Confirmation confirmation;
  private final Logger log;
  private final Stopping stopping;

  public Pgkill(Connector connector, Confirmation confirmation, Logger log) {
    this(connector, confirmation, log, Stopping.UNHEARD);
  }

  public Pgkill(Connector connector, Confirmation confirmation, Logger log, Stopping stopping) {
    this.connector = connector;
    this.confirmation = confirmation;
    this.log = log;
    this.stopping = stopping;
  }

  public ExitStatus run(Invocation invocation, Report report) {
    try (Connected connected = connector.open(invocation.connection())) {
      return run(connected, invocation, report);
    } catch (ConnectFailure e) {
      log.info("connection failed", e);
      report.error(e.getMessage());
      return ExitStatus.FATAL;
    } catch (SQLException e) {
      log.info("closing the connection failed", e);
      return ExitStatus.FATAL;
    }
  }

  /** The steps after connecting, on a session the caller opened. */
  public ExitStatus run(Connected connected, Invocation invocation, Report report) {
    Connection connection = connected.connection();
    try {
      ServerVersion version = connected.server().version();
      log.info("server: PostgreSQL {} (server_version_num {})", version, version.number());
      Selection selection = invocation.selection();
      Found found = new SessionFinder(connection, version, log).find(selection);
      for (String hint : new Hints(connection, log).about(selection, found)) {
        report.hint(hint);
      }
      List<PreparedBlocker> prepared =
          selection.byFilter()
              ? found.locks().preparedBlockingLongerThan(selection.filters().blockingLongerThan())
              : List.of();
      HorizonHolders holders =
          selection.byFilter() && selection.filters().xminOlderThan().isPresent()
              ? HorizonHolders.read(connection, selection.filters().xminOlderThan().get(), log)
              : HorizonHolders.NONE;
      // Never signalled: there is no session to signal, only a hint for the DBA. Printed first,
      // so that the summary is always the last line.
      report.preparedBlockers(prepared, found.locks());
      report.horizonHolders(holders);
      if (invocation.mode() == Mode.LIST) {
        report.sessions(found.sessions(), found.locks());
        return found.sessions().isEmpty() && prepared.isEmpty() && holders.isEmpty()
            ? ExitStatus.NOTHING_DONE
            : ExitStatus.OK;
      }
      Action action = invocation.action();
      Screening screening = Safety.screen(selection, found, invocation.unverified());
      List<Cleared> cleared = screening.cleared();
      if (cleared.size() > invocation.max()) {
        if (invocation.mode() == Mode.DRY_RUN) {
          // A dry run is there to look: show what the selection chose, so it can be narrowed.
          report.sessions(cleared.stream().map(Cleared::session).toList());
        }
        report.error(
            "refusing to " + action.verb() + " " + cleared.size() + " sessions: more than --max "
                + invocation.max() + "; nothing was signalled");
        return ExitStatus.REFUSED;
      }
      Asked asked =
          new Asked(action, invocation.mode() == Mode.DRY_RUN, invocation.escalate().isPresent());
      if (invocation.mode() == Mode.DRY_RUN) {
        List<Outcome> outcomes = new Prediction(connection, version, log).outcomes(screening, action);
        if (selection.byFilter()
            && confirmation != Confirmation.ASSUMED
            && !confirmation.canAsk()
            && outcomes.stream().anyMatch(o -> o.result() == Outcome.Result.WOULD_SIGNAL)) {
          // A rehearsal for cron must not promise what the real run would refuse.
          report.hint(
              "without --yes this run would be refused: a selection chose the sessions and there"
                  + " is no terminal to ask on (exit status 5)");
        }
        report.outcomes(asked, outcomes);
        return ExitStatus.of(outcomes);
      }
      if (selection.byFilter() && !cleared.isEmpty() && confirmation != Confirmation.ASSUMED) {
        if (!confirmation.canAsk()) {
          report.error(
              "refusing to " + action.verb() + " " + cleared.size()
                  + (cleared.size() == 1 ? " session" : " sessions")
                  + " chosen by a filter: there is no terminal to ask on; add --yes to signal"
                  + " without asking; nothing was signalled");
          return ExitStatus.REFUSED;
        }
        if (!confirmation.confirm(
            action, cleared.stream().map(Cleared::session).toList(), connected.server())) {
          report.error("not confirmed: nothing was signalled");
          return ExitStatus.REFUSED;
        }
        // A person may take minutes to answer: only what still matches, as the same backend, goes.
        screening = screening.keepOnly(recheck(connection, version, selection, cleared));
        cleared = screening.cleared();
      }
      Screening screened = screening;
      OnceReported once = new OnceReported(report, asked);
      if (invocation.finalWait().isPresent()) {
        stopping.onStop(once::stopped);
      }
      List<Outcome> signalled =
          signal(connection, version, invocation, cleared,
              sent -> once.sent(inTargetOrder(screened, action, sent)));
      List<Outcome> outcomes = inTargetOrder(screening, action, signalled);
      once.report(outcomes);
      return ExitStatus.of(outcomes);
    } catch (SQLException e) {
      log.info("server failed", e);
      report.error("the server failed outside any target: " + oneLine(e));
      return ExitStatus.FATAL;
    } finally {
      stopping.onStop(null);
    }
  }

  /**
   * The sessions confirmed at the prompt, looked up again by PID with the same filters: which
   * still match, which fail a filter now (and which one), and, by their absence, which are gone.
   */
  private Found recheck(
      Connection connection, ServerVersion version, Selection selection, List<Cleared> cleared)
      throws SQLException {
    List<Target> pids = cleared.stream().map(s -> Target.of(s.session().pid())).toList();
    return new SessionFinder(connection, version, log)
        .find(new Selection(pids, selection.filters()));
  }

  /**
   * Signals, and with --wait or --escalate waits to see the signals work; {@code sent} hears what
   * went out before each wait begins.
   */
  private List<Outcome> signal(
      Connection connection,
      ServerVersion version,
      Invocation invocation,
      List<Cleared> cleared,
      Consumer<List<Outcome>> sent)
      throws SQLException {
    Signaller signaller = new Signaller(connection, log);
    Waiter waiter = new Waiter(connection, version, log);
    Action action = invocation.action();
    if (invocation.escalate().isPresent()) {
      return new Escalator(signaller, waiter, log)
          .cancelThenTerminate(
              cleared, invocation.escalate().get(), invocation.finalWait().orElseThrow(), sent);
    }
    List<Outcome> signalled = signaller.signal(cleared, action);
    if (invocation.waitFor().isEmpty()) {
      return signalled;
    }
    sent.accept(signalled);
    return waiter.await(signalled, action, invocation.waitFor().get());
  }

  /**
   * The report of a run's outcomes, made exactly once: by the run when it is done, or, if the
   * process is stopped while the run waits, by the stop, with what had gone out by then. Never
   * both, and never half of one and half of the other.
   */
  private static final class OnceReported {
    private final Report report;
    private final Asked asked;
    private List<Outcome> sent;
    private long waitingSince;
    private boolean made;

    OnceReported(Report report, Asked asked) {
      this.report = report;
      this.asked = asked;
    }

    synchronized void sent(List<Outcome> outcomes) {
      sent = outcomes;
      waitingSince = System.nanoTime();
    }

    synchronized void report(List<Outcome> outcomes) {
      if (!made) {
        made = true;
        report.outcomes(asked, outcomes);
      }
    }

    /** The process is being stopped: every signal not yet seen to work was interrupted. */
    synchronized void stopped() {
      if (made || sent == null) {
        return;
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - waitingSince);
      report(sent.stream().map(o -> o.stoppedWhileWaiting(waited)).toList());
    }
  }

  private static List<Outcome> inTargetOrder(
      Screening screening, Action action, List<Outcome> signalled) {
    Iterator<Outcome> next = signalled.iterator();
    List<Outcome> outcomes = new ArrayList<>(screening.targets().size());
    for (Screened screened : screening.targets()) {
      outcomes.add(
          screened instanceof Refused refused ? Outcome.refused(refused, action) : next.next());
    }
    return outcomes;
  }

  private static String oneLine(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return SafeText.oneLine(message)
        + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
  }
}
