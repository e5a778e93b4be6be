package dev.pgkill.report;

import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import java.io.PrintWriter;
import java.util.List;

/** Tells the user what happened. Formats only: every decision was made before it is called. */
public interface Report {
  /** One entry per target, in the order the user named them, then a summary. */
  default void outcomes(Action action, List<Outcome> outcomes) {
    outcomes(Asked.signal(action), outcomes);
  }

  /** One entry per target, then a summary that says what kind of run it was. */
  void outcomes(Asked asked, List<Outcome> outcomes);

  /** The sessions {@code --list} found. */
  default void sessions(List<Session> sessions) {
    sessions(sessions, LockGraph.NONE);
  }

  /** The sessions {@code --list} found; with --blockers, each with the sessions it blocks. */
  void sessions(List<Session> sessions, LockGraph locks);

  /**
   * With --blockers: prepared transactions in the way, which pgkill never signals, before the
   * sessions or targets; {@code locks} has the sessions queued behind them.
   */
  default void preparedBlockers(List<PreparedBlocker> prepared, LockGraph locks) {}

  /**
   * With --xmin-older-than: prepared transactions and replication slots holding back vacuum, which
   * pgkill never signals.
   */
  default void horizonHolders(HorizonHolders holders) {}

  /** A failure outside any target, or a refusal, as one line on standard error. */
  void error(String message);

  /**
   * Why the selection may have found fewer sessions than expected, as one line on standard error;
   * {@code -q} prints none.
   */
  default void hint(String message) {}

  /**
   * A policy's rule begins: what follows, up to the next rule, is that rule's. A text report names
   * it on a line of its own, a JSON one with a line of type {@code rule}.
   */
  default void rule(String name, java.util.Optional<String> reason) {}

  /**
   * This report, every line of it about {@code server}, one of several in the run: the text report
   * adds a SERVER column and names it in the summary and errors, JSON adds a {@code server} object
   * to every line. A report that prints nothing about sessions stays as it is.
   */
  default Report on(ServerTag server) {
    return this;
  }

  /**
   * This report, on a server whose system identifier pgkill's role may read: {@code --output id}
   * adds it to every token.
   */
  default Report identifying(String systemIdentifier) {
    return this;
  }

  /** The summary of a run over several servers, after every server's own. */
  default void run(RunSummary summary) {}

  /** The report the options ask for. */
  static Report of(OutputOptions options, PrintWriter out, PrintWriter err) {
    if (options.quiet()) {
      return new QuietReport(err);
    }
    if (options.count()) {
      return new CountReport(out, err, options.format() == OutputOptions.Format.JSON);
    }
    return switch (options.format()) {
      case TEXT -> new TextReport(out, err, options.colour(), options.width(), options.columns());
      case JSON -> new JsonReport(out, err);
      case PID, ID -> new PidReport(out, err, options.format() == OutputOptions.Format.ID);
    };
  }

  /** Writes the one-line hint every format but -q shares. */
  static void hint(PrintWriter err, String message) {
    err.println("pgkill: hint: " + message);
    err.flush();
  }

  /** Writes the one-line error every format shares. */
  static void error(PrintWriter err, String message) {
    err.println("pgkill: error: " + message);
    err.flush();
  }
}
