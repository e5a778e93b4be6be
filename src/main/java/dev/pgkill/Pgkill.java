package dev.pgkill;

import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connector;
import dev.pgkill.connect.ServerVersion;
import dev.pgkill.report.Report;
import dev.pgkill.Invocation.Mode;
import dev.pgkill.select.Found;
import dev.pgkill.select.Hints;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Selection;
import dev.pgkill.select.SessionFinder;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Prediction;
import dev.pgkill.signal.Safety;
import dev.pgkill.signal.Safety.Screened;
import dev.pgkill.signal.Safety.Screening;
import dev.pgkill.signal.Escalator;
import dev.pgkill.signal.Signaller;
import dev.pgkill.signal.Waiter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;

/** One run, the straight path: connect, select, screen for safety, confirm, signal, report. */
public final class Pgkill {
  private final Connector connector;
  private final Confirmation confirmation;
  private final Logger log;

  public Pgkill(Connector connector, Confirmation confirmation, Logger log) {
    this.connector = connector;
    this.confirmation = confirmation;
    this.log = log;
  }

  public ExitStatus run(Invocation invocation, Report report) {
    try (Connection connection = connector.open(invocation.connection())) {
      return run(connection, invocation, report);
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
  ExitStatus run(Connection connection, Invocation invocation, Report report) {
    try {
      ServerVersion version = ServerVersion.of(connection);
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
      if (invocation.mode() == Mode.LIST) {
        report.sessions(found.sessions(), found.locks());
        report.preparedBlockers(prepared);
        return found.sessions().isEmpty() && prepared.isEmpty()
            ? ExitStatus.NOTHING_DONE
            : ExitStatus.OK;
      }
      // Never signalled: there is no session to signal, only a hint for the DBA.
      report.preparedBlockers(prepared);
      Action action = invocation.action();
      Screening screening = Safety.screen(selection, found, action, invocation.unverified());
      List<Screened> cleared = screening.cleared();
      if (cleared.size() > invocation.max()) {
        report.error(
            "refusing to " + action.verb() + " " + cleared.size() + " sessions: more than --max "
                + invocation.max() + "; nothing was signalled");
        return ExitStatus.REFUSED;
      }
      if (invocation.mode() == Mode.DRY_RUN) {
        List<Outcome> outcomes = new Prediction(connection, version, log).outcomes(screening, action);
        report.outcomes(action, outcomes);
        return ExitStatus.of(outcomes);
      }
      if (selection.byFilter() && !cleared.isEmpty() && confirmation != Confirmation.ASSUMED) {
        if (!confirmation.confirm(
            action, cleared.stream().map(Screened::session).toList(), server(connection))) {
          report.error("not confirmed: nothing was signalled");
          return ExitStatus.REFUSED;
        }
        // A person may take minutes to answer: only what still matches, as the same backend, goes.
        Found again = new SessionFinder(connection, version, log).find(selection);
        screening = screening.keepOnly(again.sessions(), action);
        cleared = screening.cleared();
      }
      List<Outcome> signalled = signal(connection, version, invocation, cleared);
      List<Outcome> outcomes = inTargetOrder(screening, signalled);
      report.outcomes(action, outcomes);
      return ExitStatus.of(outcomes);
    } catch (SQLException e) {
      log.info("server failed", e);
      report.error("the server failed outside any target: " + oneLine(e));
      return ExitStatus.FATAL;
    }
  }

  /** Signals, and with --wait or --escalate waits to see the signals work. */
  private List<Outcome> signal(
      Connection connection, ServerVersion version, Invocation invocation, List<Screened> cleared)
      throws SQLException {
    Signaller signaller = new Signaller(connection, log);
    Waiter waiter = new Waiter(connection, version, log);
    Action action = invocation.action();
    if (invocation.escalate().isPresent()) {
      return new Escalator(signaller, waiter, log)
          .cancelThenTerminate(
              cleared, invocation.escalate().get(), invocation.finalWait().orElseThrow());
    }
    List<Outcome> signalled = signaller.signal(cleared, action);
    return invocation.waitFor().isPresent()
        ? waiter.await(signalled, action, invocation.waitFor().get())
        : signalled;
  }

  /** {@code HOST:PORT} of the server, as a question about it should name it. */
  private static String server(Connection connection) throws SQLException {
    String url = connection.getMetaData().getURL();
    return url.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
  }

  private static List<Outcome> inTargetOrder(Screening screening, List<Outcome> signalled) {
    Iterator<Outcome> next = signalled.iterator();
    List<Outcome> outcomes = new ArrayList<>(screening.targets().size());
    for (Screened screened : screening.targets()) {
      outcomes.add(screened.cleared() ? next.next() : screened.refused());
    }
    return outcomes;
  }

  private static String oneLine(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return OneLine.of(message)
        + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
  }
}
