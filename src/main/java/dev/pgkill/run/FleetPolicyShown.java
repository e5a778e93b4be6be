package dev.pgkill.run;

import dev.pgkill.run.FleetPolicy.Applied;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A policy's run over several servers, shown exactly once: when every server's rules are done, or,
 * if the process is stopped (SIGINT, SIGTERM) while a rule waits for its signals to work, by the
 * stop, with the rules each server had applied by then, as a policy on one server is.
 */
final class FleetPolicyShown {
  /** A rule waiting for its signals to work, after the rules applied before it. */
  private record Waiting(List<RuleResult> before, Rule rule, PassResult soFar, long since) {}

  private final List<FleetServer> servers;
  private final Stopping stopping;
  private final Function<List<Applied>, ExitStatus> show;
  private final List<Applied> done = new ArrayList<>();
  private final List<Waiting> waiting = new ArrayList<>();
  private boolean shown;

  /**
   * @param show renders what each server's rules did, then the run's summary; returns its status
   */
  FleetPolicyShown(
      List<FleetServer> servers, Stopping stopping, Function<List<Applied>, ExitStatus> show) {
    this.servers = List.copyOf(servers);
    this.stopping = stopping;
    this.show = show;
    for (int i = 0; i < servers.size(); i++) {
      done.add(null);
      waiting.add(null);
    }
  }

  /**
   * What the {@code index}th server's pass of {@code rule} tells, after the rules {@code before}.
   */
  PassProgress progress(int index, List<RuleResult> before, Rule rule) {
    return new PassProgress() {
      @Override
      public void waiting(PassResult soFar) {
        FleetPolicyShown.this.waiting(index, new Waiting(before, rule, soFar, System.nanoTime()));
      }
    };
  }

  private synchronized void waiting(int index, Waiting rule) {
    waiting.set(index, rule);
    stopping.onStop(this::stopped);
  }

  /** The {@code index}th server's rules are done. */
  synchronized void done(int index, Applied applied) {
    done.set(index, applied);
  }

  /** The process is being stopped: each server as far as its rules got. */
  private synchronized void stopped() {
    if (shown) {
      return;
    }
    List<Applied> sofar = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      Waiting rule = waiting.get(i);
      if (done.get(i) != null) {
        sofar.add(done.get(i));
      } else if (rule != null) {
        List<RuleResult> results = new ArrayList<>(rule.before());
        results.add(
            new RuleResult(
                rule.rule(),
                rule.soFar()
                    .stoppedWhileWaiting(Duration.ofNanos(System.nanoTime() - rule.since()))));
        sofar.add(
            new Applied(
                servers.get(i),
                Optional.ofNullable(rule.soFar().server()),
                Optional.of(new PolicyResult(results, false)),
                Optional.empty()));
      } else {
        sofar.add(
            Applied.failed(
                servers.get(i), "pgkill was stopped before this server's rules were done"));
      }
    }
    shown = true;
    // The process exits with its own status (130, 143): only what is printed counts.
    var unused = show.apply(sofar);
  }

  /** Every server's rules are done: shown now, unless a stop has shown the run already. */
  ExitStatus show(List<Applied> applied) {
    synchronized (this) {
      if (shown) {
        return ExitStatus.FATAL;
      }
      shown = true;
    }
    try {
      return show.apply(applied);
    } finally {
      stopping.onStop(null);
    }
  }
}
