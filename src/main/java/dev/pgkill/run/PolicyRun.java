package dev.pgkill.run;

import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connected;
import dev.pgkill.connect.Connector;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.Report;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * A policy applied once, as cron runs it: connect, every rule in order, then show what the rules
 * did. Stopped (SIGINT, SIGTERM) while a rule waits for its signals to work, it still shows every
 * rule applied so far and what the waiting rule signalled, as a single command line does.
 */
public final class PolicyRun {
  private final Connector connector;
  private final Pgkill pgkill;
  private final Stopping stopping;
  private final AuditTrail audit;
  private final Logger log;

  public PolicyRun(Connector connector, Stopping stopping, AuditTrail audit, Logger log) {
    this.connector = connector;
    this.pgkill = new Pgkill(connector, Confirmation.ASSUMED, log, Stopping.UNHEARD, audit);
    this.stopping = stopping;
    this.audit = audit;
    this.log = log;
  }

  /**
   * @param everything show the rules that found nothing too (-v)
   */
  public ExitStatus run(Policy policy, Report report, boolean everything) {
    Invocation first = policy.rules().get(0).invocation();
    Shown shown = new Shown(report, everything);
    try (Connected connected = connector.open(first.connection())) {
      PolicyResult result =
          new PolicyPass(pgkill)
              .apply(connected, policy, () -> false, (done, rule) -> shown.progress(done, rule));
      stopping.onStop(null);
      shown.show(result);
      // An audit line that was lost was reported when it was; the run must not look complete.
      return audit.failed() ? ExitStatus.FATAL : result.status();
    } catch (ConnectFailure e) {
      log.info("connection failed", e);
      report.error(e.getMessage());
      return ExitStatus.FATAL;
    } catch (SQLException e) {
      log.info("closing the connection failed", e);
      return ExitStatus.FATAL;
    } finally {
      stopping.onStop(null);
    }
  }

  /** The policy's result, shown once: by the run when it ends, or by a stop while a rule waits. */
  private final class Shown {
    private final Report report;
    private final boolean everything;
    private boolean done;

    Shown(Report report, boolean everything) {
      this.report = report;
      this.everything = everything;
    }

    PassProgress progress(List<RuleResult> before, Rule rule) {
      return new PassProgress() {
        @Override
        public void waiting(PassResult soFar) {
          long since = System.nanoTime();
          stopping.onStop(
              () -> {
                List<RuleResult> results = new ArrayList<>(before);
                results.add(
                    new RuleResult(
                        rule,
                        soFar.stoppedWhileWaiting(Duration.ofNanos(System.nanoTime() - since))));
                show(new PolicyResult(results, false));
              });
        }
      };
    }

    synchronized void show(PolicyResult result) {
      if (!done) {
        done = true;
        result.render(report, everything);
      }
    }
  }
}
