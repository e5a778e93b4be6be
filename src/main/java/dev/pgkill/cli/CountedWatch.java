package dev.pgkill.cli;

import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.WatchMetrics;
import dev.pgkill.run.ExitStatus;
import dev.pgkill.run.PolicyResult;
import dev.pgkill.run.RuleResult;
import dev.pgkill.run.WatchEvents;
import java.time.Clock;
import java.time.Duration;

/** What a watch does, counted for Prometheus as it happens. */
final class CountedWatch implements WatchEvents {
  private final WatchMetrics metrics;
  private final Clock clock;

  CountedWatch(WatchMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void connected(ServerIdentity server) {
    metrics.connected(true);
  }

  @Override
  public void unreachable(String message, Duration retryIn) {
    metrics.connected(false);
    metrics.serverError();
  }

  @Override
  public void lost(String message, Duration retryIn) {
    metrics.connected(false);
    metrics.serverError();
  }

  @Override
  public void passed(long pass, PolicyResult result, Duration took) {
    for (RuleResult rule : result.rules()) {
      metrics.ruleApplied(
          rule.rule().name(),
          rule.result().outcomes().map(o -> o.outcomes()).orElse(java.util.List.of()));
      // A pass that lost the server is counted once, by lost().
      if (rule.result().status() == ExitStatus.FATAL && !result.lostServer()) {
        metrics.serverError();
      }
    }
    if (result.lostServer() || result.status() == ExitStatus.FATAL) {
      metrics.passFailed("the server failed");
    } else {
      metrics.passCompleted(clock.instant());
    }
  }
}
