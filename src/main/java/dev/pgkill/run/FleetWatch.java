package dev.pgkill.run;

import dev.pgkill.connect.Connector;
import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.text.UsageError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A watch over several servers: each server watched on a thread of its own by its own {@link
 * Watch}, with its own session and its own backoff, so that a server that is down, or slow, holds
 * no other back and is retried on its own. The process's stop and reload reach all of them: the
 * policy is re-read once, here, and each server's watch takes the new rules before its next pass.
 */
public final class FleetWatch {
  private final Connector connector;
  private final Duration interval;
  private final PolicySource source;
  private final Pgkill pgkill;
  private final WatchControl control;
  private final WatchEvents events;
  private final Function<FleetServer, WatchEvents> serverEvents;
  private final BooleanSupplier auditLost;

  /**
   * @param control what the process's signals tell
   * @param events hears what concerns the whole run: a reload, refused or done
   * @param serverEvents what hears each server's watch: its connects, losses, passes and stop
   */
  public FleetWatch(
      Connector connector,
      Duration interval,
      PolicySource source,
      Pgkill pgkill,
      WatchControl control,
      WatchEvents events,
      Function<FleetServer, WatchEvents> serverEvents,
      BooleanSupplier auditLost) {
    this.connector = connector;
    this.interval = interval;
    this.source = source;
    this.pgkill = pgkill;
    this.control = control;
    this.events = events;
    this.serverEvents = serverEvents;
    this.auditLost = auditLost;
  }

  /**
   * Runs until stopped, and exits 0 then. It ends on its own only when every server's watch has
   * ended (each refused pgkill's settings before its first pass: 3), or when an audit line could
   * not be written (3); when some servers' watches ended that way and the others were stopped, 4.
   */
  public ExitStatus run(Policy initial, List<FleetServer> servers) {
    AtomicReference<Policy> current = new AtomicReference<>(initial);
    AtomicInteger running = new AtomicInteger(servers.size());
    List<WatchControl> controls = new ArrayList<>();
    List<ExitStatus> statuses = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (FleetServer server : servers) {
      WatchControl own = new WatchControl();
      controls.add(own);
      statuses.add(null);
      int index = statuses.size() - 1;
      WatchEvents heard = serverEvents.apply(server);
      Watch watch =
          new Watch(
              connector,
              server.request(),
              interval,
              current::get,
              pgkill,
              own,
              new OwnEvents(heard),
              new Random(),
              auditLost);
      Thread thread =
          new Thread(
              () -> {
                ExitStatus status = ExitStatus.FATAL;
                try {
                  status = watch.run(current.get());
                } catch (UsageError e) {
                  // A setting that was good when the run began and is wrong at the first connect.
                  heard.unreachable(e.getMessage(), null);
                } finally {
                  synchronized (statuses) {
                    statuses.set(index, status);
                  }
                  if (running.decrementAndGet() == 0 || auditLost.getAsBoolean()) {
                    control.stop();
                  }
                }
              },
              "pgkill-watch-" + server.label());
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    while (!control.stopping()) {
      control.pause(Duration.ofHours(1));
      if (control.takeReload()) {
        reload(current);
        controls.forEach(WatchControl::reload);
      }
    }
    controls.forEach(WatchControl::stop);
    for (Thread thread : threads) {
      joined(thread);
    }
    synchronized (statuses) {
      return status(statuses);
    }
  }

  private void reload(AtomicReference<Policy> current) {
    events.reloading();
    try {
      Policy policy = source.load();
      current.set(policy);
      events.reloaded(policy);
    } catch (UsageError e) {
      events.reloadRefused(e.getMessage());
    }
  }

  private ExitStatus status(List<ExitStatus> statuses) {
    if (auditLost.getAsBoolean()
        || statuses.stream().allMatch(s -> s == null || s == ExitStatus.FATAL)) {
      return ExitStatus.FATAL;
    }
    return statuses.contains(ExitStatus.FATAL) ? ExitStatus.PARTIAL : ExitStatus.OK;
  }

  private static void joined(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A server's watch re-reads its rules from this run, which read the file once: what it hears of a
   * reload was already said, once, for the whole run.
   */
  private static final class OwnEvents implements WatchEvents {
    private final WatchEvents server;

    OwnEvents(WatchEvents server) {
      this.server = server;
    }

    @Override
    public void connected(ServerIdentity identity) {
      server.connected(identity);
    }

    @Override
    public void unreachable(String message, Duration retryIn) {
      server.unreachable(message, retryIn);
    }

    @Override
    public void lost(String message, Duration retryIn) {
      server.lost(message, retryIn);
    }

    @Override
    public void passed(long pass, PolicyResult result, Duration took) {
      server.passed(pass, result, took);
    }

    @Override
    public void stopped(long passes) {
      server.stopped(passes);
    }
  }
}
