package dev.pgkill.report;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Outcome;
import dev.pgkill.text.Counted;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * {@code --output pid} and {@code --output id}: one PID, or one {@code PID@BACKEND_START} token,
 * per line, of the sessions listed or signalled (or, in a dry run, that would be), for the next
 * command in a pipe. {@code pgkill -} reads both back.
 */
final class PidReport implements Report {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean identity;
  private final Optional<String> label;
  private final Optional<String> systemIdentifier;

  PidReport(PrintWriter out, PrintWriter err, boolean identity) {
    this(out, err, identity, Optional.empty(), Optional.empty());
  }

  private PidReport(
      PrintWriter out,
      PrintWriter err,
      boolean identity,
      Optional<String> label,
      Optional<String> systemIdentifier) {
    this.out = out;
    this.err = err;
    this.identity = identity;
    this.label = label;
    this.systemIdentifier = systemIdentifier;
  }

  @Override
  public Report on(ServerTag tag) {
    return new PidReport(out, err, identity, Optional.of(tag.label()), tag.systemIdentifier());
  }

  @Override
  public Report identifying(String identifier) {
    return new PidReport(out, err, identity, label, Optional.of(identifier));
  }

  private String prefix() {
    return label.map(l -> l + ": ").orElse("");
  }

  @Override
  public void outcomes(Asked asked, List<Outcome> outcomes) {
    int bare = 0;
    for (Outcome outcome : outcomes) {
      if (outcome.done()) {
        out.println(
            outcome.session().map(this::id).orElse(Integer.toString(outcome.target().pid())));
        bare += identity && outcome.session().map(this::bare).orElse(true) ? 1 : 0;
      }
    }
    out.flush();
    warnIfBare(bare);
  }

  @Override
  public void sessions(List<Session> sessions, dev.pgkill.select.LockGraph locks) {
    sessions.forEach(session -> out.println(id(session)));
    out.flush();
    warnIfBare((int) sessions.stream().filter(this::bare).count());
  }

  /** A hidden backend_start prints the bare PID: replaying it then refuses it, as it should. */
  private String id(Session session) {
    if (!identity || session.backendStart() == null) {
      return Integer.toString(session.pid());
    }
    String token = Target.token(session.pid(), session.backendStart());
    // The server's own identity: replayed against another server, the token is refused.
    return systemIdentifier.map(id -> token + "@" + id).orElse(token);
  }

  private boolean bare(Session session) {
    return identity && session.backendStart() == null;
  }

  /**
   * A bare PID in an id list looks like the rest but carries no identity: replayed later, it names
   * whatever backend has that PID by then. Said on standard error, so the list stays clean.
   */
  private void warnIfBare(int bare) {
    if (bare > 0) {
      err.println(
          "pgkill: warning: "
              + prefix()
              + Counted.of(bare, "PID is", "PIDs are")
              + " printed without @BACKEND_START, which is hidden from pgkill's role (grant"
              + " pg_read_all_stats or pg_monitor): "
              + (bare == 1 ? "it cannot" : "they cannot")
              + " be replayed safely");
      err.flush();
    }
  }

  @Override
  public void error(String message) {
    Report.error(err, prefix() + message);
  }

  @Override
  public void hint(String message) {
    Report.hint(err, prefix() + message);
  }
}
