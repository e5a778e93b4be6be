package dev.pgkill.report;

import dev.pgkill.select.LockGraph;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code --count}: only how many sessions a listing found, as {@code pgrep -c} prints it, for a
 * script to compare; with {@code -o json}, the summary object a listing ends with, alone.
 */
final class CountReport implements Report {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  CountReport(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  /** Never called: --count only lists. */
  @Override
  public void outcomes(Asked asked, List<Outcome> outcomes) {}

  @Override
  public void sessions(List<Session> sessions, LockGraph locks) {
    if (json) {
      new JsonLines(out).line(fields -> JsonReport.listingSummary(fields, sessions.size()));
    } else {
      out.println(sessions.size());
    }
    out.flush();
  }

  @Override
  public void error(String message) {
    Report.error(err, message);
  }

  @Override
  public void hint(String message) {
    Report.hint(err, message);
  }
}
