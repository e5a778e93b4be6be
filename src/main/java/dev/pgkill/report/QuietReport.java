package dev.pgkill.report;

import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome;
import java.io.PrintWriter;
import java.util.List;

/** {@code -q}: nothing on standard output; errors still reach standard error. */
final class QuietReport implements Report {
  private final PrintWriter err;
  private final String prefix;

  QuietReport(PrintWriter err) {
    this(err, "");
  }

  private QuietReport(PrintWriter err, String prefix) {
    this.err = err;
    this.prefix = prefix;
  }

  @Override
  public Report on(ServerTag server) {
    return new QuietReport(err, server.label() + ": ");
  }

  @Override
  public void outcomes(Asked asked, List<Outcome> outcomes) {}

  @Override
  public void sessions(List<Session> sessions, dev.pgkill.select.LockGraph locks) {}

  @Override
  public void error(String message) {
    Report.error(err, prefix + message);
  }
}
