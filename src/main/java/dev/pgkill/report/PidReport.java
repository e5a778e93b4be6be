package dev.pgkill.report;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code --output pid} and {@code --output id}: one PID, or one {@code PID@BACKEND_START} token,
 * per line, of the sessions listed or signalled (or, in a dry run, that would be), for the next
 * command in a pipe. {@code pgkill -} reads both back.
 */
final class PidReport implements Report {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean identity;

  PidReport(PrintWriter out, PrintWriter err, boolean identity) {
    this.out = out;
    this.err = err;
    this.identity = identity;
  }

  @Override
  public void outcomes(Action action, List<Outcome> outcomes) {
    for (Outcome outcome : outcomes) {
      if (outcome.done()) {
        out.println(outcome.session().map(this::id).orElse(Integer.toString(outcome.target().pid())));
      }
    }
    out.flush();
  }

  @Override
  public void sessions(List<Session> sessions, dev.pgkill.select.LockGraph locks) {
    sessions.forEach(session -> out.println(id(session)));
    out.flush();
  }

  /** A hidden backend_start prints the bare PID: replaying it then refuses it, as it should. */
  private String id(Session session) {
    return identity && session.backendStart() != null
        ? Target.token(session.pid(), session.backendStart())
        : Integer.toString(session.pid());
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
