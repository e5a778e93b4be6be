package dev.pgkill.run;

import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connected;
import dev.pgkill.connect.Connector;
import dev.pgkill.report.Report;
import dev.pgkill.select.Found;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.Session;
import dev.pgkill.select.SessionFinder;
import dev.pgkill.select.Snapshot;
import dev.pgkill.text.Counted;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.Timestamps;
import dev.pgkill.text.UsageError;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * {@code --rehearse}: what each rule would have chosen from sessions recorded earlier, shown as a
 * listing. It applies the rules on a live server, so that patterns and durations mean there what
 * they mean in a real run, but to the snapshots instead of pg_stat_activity.
 *
 * <p>It never signals, by construction: it knows no signaller and no signalling pass, only the
 * selection (ArchitectureTest holds it to that).
 */
public final class Rehearsal {
  private final Connector connector;
  private final Logger log;

  public Rehearsal(Connector connector, Logger log) {
    this.connector = connector;
    this.log = log;
  }

  /**
   * Applies every rule to every snapshot, on one connection, and shows what each chose: under the
   * rule's name when {@code headed} (a policy), as a bare listing otherwise (the command line).
   */
  public ExitStatus run(Policy policy, List<Snapshot> snapshots, Report report, boolean headed) {
    for (Rule rule : policy.rules()) {
      rule.invocation()
          .selection()
          .filters()
          .liveOnly()
          .ifPresent(
              option -> {
                throw new UsageError(
                    (headed ? "rule " + SafeText.quoted(rule.name()) + ": " : "")
                        + option
                        + " cannot be rehearsed: it needs what the live server knows and a"
                        + " snapshot does not record");
              });
    }
    Invocation first = policy.rules().get(0).invocation();
    try (Connected connected = connector.open(first.connection())) {
      List<RuleResult> results = new ArrayList<>();
      for (Rule rule : policy.rules()) {
        results.add(new RuleResult(rule, rehearse(connected, rule.invocation(), snapshots)));
      }
      ExitStatus status = ExitStatus.NOTHING_DONE;
      for (RuleResult result : results) {
        if (headed) {
          report.rule(result.rule().name(), result.rule().reason());
        }
        result.result().render(report);
        status = worse(status, result.result().status());
      }
      return status;
    } catch (ConnectFailure e) {
      log.info("connection failed", e);
      PassResult.unreachable(e.getMessage()).render(report);
      return ExitStatus.FATAL;
    } catch (SQLException e) {
      log.info("closing the connection failed", e);
      return ExitStatus.FATAL;
    }
  }

  /** What one rule would have chosen from each snapshot, in turn, as one listing. */
  private PassResult rehearse(
      Connected connected, Invocation invocation, List<Snapshot> snapshots) {
    PassResult result = PassResult.on(connected.server());
    SessionFinder finder =
        new SessionFinder(connected.connection(), connected.server().version(), log);
    List<Session> chosen = new ArrayList<>();
    List<String> hints = new ArrayList<>();
    try {
      for (Snapshot snapshot : snapshots) {
        Found found = finder.rehearse(invocation.selection(), snapshot);
        chosen.addAll(found.sessions());
        // A table does not say which snapshot a line is of; the JSON lines' captured_at does.
        hints.add(
            "snapshot captured at "
                + Timestamps.utc(snapshot.capturedAt())
                + ": "
                + found.sessions().size()
                + " of "
                + Counted.of(snapshot.sessions(), "session")
                + " chosen");
      }
    } catch (SQLException e) {
      log.info("server failed", e);
      return result.failed(
          "the server failed outside any target: "
              + SafeText.oneLine(String.valueOf(e.getMessage()))
              + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
    }
    if (snapshots.isEmpty()) {
      hints.add("the file holds no session line: nothing to choose from");
    }
    return (snapshots.size() != 1 ? result.withHints(hints) : result)
        .listing(chosen, LockGraph.NONE);
  }

  /** Of two statuses, the one a run reports: a failure, else something chosen by any rule. */
  private static ExitStatus worse(ExitStatus a, ExitStatus b) {
    if (a == ExitStatus.FATAL || b == ExitStatus.FATAL) {
      return ExitStatus.FATAL;
    }
    return a == ExitStatus.OK || b == ExitStatus.OK ? ExitStatus.OK : ExitStatus.NOTHING_DONE;
  }
}
