package dev.pgkill;

import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connector;
import dev.pgkill.report.Report;
import dev.pgkill.select.Session;
import dev.pgkill.select.SessionFinder;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Safety;
import dev.pgkill.signal.Safety.Screened;
import dev.pgkill.signal.Safety.Screening;
import dev.pgkill.signal.Signaller;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;

/** One run, the straight path: connect, select, screen for safety, signal, report. */
public final class Pgkill {
  private final Connector connector;
  private final Logger log;

  public Pgkill(Connector connector, Logger log) {
    this.connector = connector;
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
      List<Session> found = new SessionFinder(connection, log).find(invocation.selection());
      Screening screening =
          Safety.screen(invocation.selection().targets(), found, invocation.action());
      List<Outcome> signalled =
          new Signaller(connection, log).signal(screening.cleared(), invocation.action());
      List<Outcome> outcomes = inTargetOrder(screening, signalled);
      report.outcomes(invocation.action(), outcomes);
      return ExitStatus.of(outcomes);
    } catch (SQLException e) {
      log.info("server failed", e);
      report.error("the server failed outside any target: " + oneLine(e));
      return ExitStatus.FATAL;
    }
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
    return message.replaceAll("\\s*\\R\\s*", " ")
        + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
  }
}
