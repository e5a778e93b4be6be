package dev.pgkill.run;

import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connected;
import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.connect.Connector;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * Applies a policy again and again, every interval, until told to stop: the service mode. A lost
 * server is connected to again with a growing, jittered wait; a policy re-read on SIGHUP replaces
 * the rules only if all of it is good. Nothing that happens to the server ends the watch. A watch
 * runs once: it keeps its session and its count of passes.
 */
public final class Watch {
  /** How long a connection check may take before the session counts as lost. */
  private static final int VALID_SECONDS = 5;

  private final Connector connector;
  private final ConnectionRequest request;
  private final Duration interval;
  private final PolicySource source;
  private final PolicyPass pass;
  private final WatchControl control;
  private final WatchEvents events;
  private final Backoff backoff;
  private final BooleanSupplier auditLost;
  private boolean everConnected;
  private Connected connected;
  private long passes;

  public Watch(
      Connector connector,
      ConnectionRequest request,
      Duration interval,
      PolicySource source,
      Pgkill pgkill,
      WatchControl control,
      WatchEvents events,
      RandomGenerator random,
      BooleanSupplier auditLost) {
    this.connector = connector;
    this.request = request;
    this.interval = interval;
    this.source = source;
    this.pass = new PolicyPass(pgkill);
    this.control = control;
    this.events = events;
    this.backoff = new Backoff(random);
    this.auditLost = auditLost;
  }

  /**
   * Runs until stopped, from the rules already read and checked, and exits 0 then. It ends on its
   * own only for what waiting cannot mend: the server refusing pgkill's settings before any pass
   * (exit 3), or an audit line that could not be written (exit 3): nothing is signalled unaudited.
   */
  public ExitStatus run(Policy initial) {
    Policy policy = initial;
    try {
      while (!control.stopping()) {
        if (control.takeReload()) {
          policy = reload(policy);
        }
        long started = System.nanoTime();
        Connection session = session();
        if (session.fatal()) {
          return ExitStatus.FATAL;
        }
        if (session.connected() == null) {
          continue;
        }
        if (!applied(policy, started)) {
          events.stopped(passes);
          return ExitStatus.FATAL;
        }
      }
      events.stopped(passes);
      return ExitStatus.OK;
    } finally {
      close(connected);
    }
  }

  /** The session to apply the rules on: the one still open, or a new one. */
  private Connection session() {
    if (usable(connected)) {
      return new Connection(connected, false);
    }
    if (connected != null) {
      close(connected);
      connected = null;
      events.lost("the server closed pgkill's session", Duration.ZERO);
    }
    Connection attempt = connect(passes == 0 && !everConnected);
    connected = attempt.connected();
    return attempt;
  }

  /**
   * One pass, then the wait for the next: false when the watch must end because an audit line was
   * lost.
   */
  private boolean applied(Policy policy, long started) {
    PolicyResult result;
    try {
      result = pass.apply(connected, policy, control::stopping);
    } catch (RuntimeException e) {
      // Whatever went wrong in this pass must not end the service: the next pass starts clean.
      dropSession("pgkill failed in a pass: " + SafeText.oneLine(String.valueOf(e)));
      return true;
    }
    passes++;
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    events.passed(passes, result, took);
    if (auditLost.getAsBoolean()) {
      return false;
    }
    if (result.lostServer()) {
      dropSession(lostBecause(result));
    } else {
      control.pause(interval.minus(took));
    }
    return true;
  }

  private void dropSession(String why) {
    close(connected);
    connected = null;
    Duration retryIn = backoff.next();
    events.lost(why, retryIn);
    control.pause(retryIn);
  }

  /** A session, none yet (after saying why and waiting), or the end of the watch. */
  private record Connection(Connected connected, boolean fatal) {}

  private Connection connect(boolean first) {
    try {
      Connected opened = connector.open(request);
      backoff.reset();
      everConnected = true;
      events.connected(opened.server());
      return new Connection(opened, false);
    } catch (ConnectFailure e) {
      if (first && e.refusedBySettings()) {
        events.unreachable(SafeText.oneLine(String.valueOf(e.getMessage())), null);
        return new Connection(null, true);
      }
      return retryLater(SafeText.oneLine(String.valueOf(e.getMessage())));
    } catch (UsageError e) {
      // A service file or a certificate changed under a running watch: say so, keep trying.
      if (!everConnected) {
        throw e;
      }
      return retryLater(e.getMessage());
    }
  }

  private Connection retryLater(String message) {
    Duration retryIn = backoff.next();
    events.unreachable(message, retryIn);
    control.pause(retryIn);
    return new Connection(null, false);
  }

  private Policy reload(Policy current) {
    events.reloading();
    try {
      Policy policy = source.load();
      events.reloaded(policy);
      return policy;
    } catch (UsageError e) {
      events.reloadRefused(e.getMessage());
      return current;
    }
  }

  /** A server restarted between passes leaves a session that looks open: ask it. */
  private static boolean usable(Connected connected) {
    try {
      return connected != null && connected.connection().isValid(VALID_SECONDS);
    } catch (SQLException e) {
      return false;
    }
  }

  private static String lostBecause(PolicyResult result) {
    return result.rules().isEmpty()
        ? "the connection was lost"
        : result
            .rules()
            .get(result.rules().size() - 1)
            .result()
            .error()
            .orElse("the connection was lost");
  }

  private static void close(Connected connected) {
    if (connected == null) {
      return;
    }
    try {
      connected.close();
    } catch (SQLException e) {
      // A session that is already gone cannot be closed any better.
    }
  }
}
