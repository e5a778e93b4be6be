package dev.pgkill.run;

import dev.pgkill.run.Fleet.ServerPass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A run over several servers, shown exactly once: by the run when every pass is over, or, if the
 * process is stopped (SIGINT, SIGTERM) while passes wait for their signals to work, by the stop,
 * with what each server had signalled by then, as a single server's run does.
 */
final class FleetShown {
  private final List<FleetServer> servers;
  private final Stopping stopping;
  private final Function<List<ServerPass>, ExitStatus> show;
  private final List<ServerPass> done = new ArrayList<>();
  private final List<PassResult> waiting = new ArrayList<>();
  private final long[] waitingSince;
  private boolean shown;

  /**
   * @param show renders the passes, then the run's summary, and returns the run's status
   */
  FleetShown(
      List<FleetServer> servers, Stopping stopping, Function<List<ServerPass>, ExitStatus> show) {
    this.servers = List.copyOf(servers);
    this.stopping = stopping;
    this.show = show;
    for (int i = 0; i < servers.size(); i++) {
      done.add(null);
      waiting.add(null);
    }
    this.waitingSince = new long[servers.size()];
  }

  /** What the {@code index}th server's pass tells while it runs. */
  PassProgress progress(int index) {
    return new PassProgress() {
      @Override
      public void waiting(PassResult soFar) {
        FleetShown.this.waiting(index, soFar);
      }
    };
  }

  private synchronized void waiting(int index, PassResult soFar) {
    waiting.set(index, soFar);
    waitingSince[index] = System.nanoTime();
    stopping.onStop(this::stopped);
  }

  /** The {@code index}th server's pass is over. */
  synchronized void done(int index, ServerPass pass) {
    done.set(index, pass);
  }

  /** The process is being stopped: each server as far as it got. */
  private synchronized void stopped() {
    if (shown) {
      return;
    }
    List<ServerPass> sofar = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      if (done.get(i) != null) {
        sofar.add(done.get(i));
      } else if (waiting.get(i) != null) {
        PassResult result = waiting.get(i);
        sofar.add(
            new ServerPass(
                servers.get(i),
                Optional.ofNullable(result.server()),
                result.stoppedWhileWaiting(Duration.ofNanos(System.nanoTime() - waitingSince[i]))));
      } else {
        sofar.add(
            new ServerPass(
                servers.get(i),
                Optional.empty(),
                PassResult.unreachable("pgkill was stopped before this server's pass was done")));
      }
    }
    shown = true;
    // The process exits with its own status (130, 143): only what is printed counts.
    var unused = show.apply(sofar);
  }

  /** Every pass is over: shown now, unless a stop has shown the run already. */
  ExitStatus show(List<ServerPass> passes) {
    synchronized (this) {
      if (shown) {
        return ExitStatus.FATAL;
      }
      shown = true;
    }
    try {
      return show.apply(passes);
    } finally {
      stopping.onStop(null);
    }
  }
}
