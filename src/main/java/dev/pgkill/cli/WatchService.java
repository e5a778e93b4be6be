package dev.pgkill.cli;

import dev.pgkill.connect.Connector;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.Report;
import dev.pgkill.report.WatchMetrics;
import dev.pgkill.run.Confirmation;
import dev.pgkill.run.FleetServer;
import dev.pgkill.run.FleetWatch;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Pgkill;
import dev.pgkill.run.Policy;
import dev.pgkill.run.PolicySource;
import dev.pgkill.run.Stopping;
import dev.pgkill.run.Watch;
import dev.pgkill.run.WatchControl;
import dev.pgkill.run.WatchEvents;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;

/**
 * A watch wired as a service: its log, its metrics and its audit trail hear what it does, and a
 * SIGHUP reopens the audit file as well as re-reading the policy.
 */
final class WatchService {
  private final Connector connector;
  private final PrintWriter out;
  private final PrintWriter err;

  WatchService(Connector connector, PrintWriter out, PrintWriter err) {
    this.connector = connector;
    this.out = out;
    this.err = err;
  }

  int run(
      Duration interval,
      PolicySource source,
      Policy policy,
      AuditTrail audit,
      WatchMetrics metrics,
      WatchControl control) {
    Invocation first = policy.rules().get(0).invocation();
    int verbosity = first.output().verbosity();
    // -v is one summary line per pass; what each pass did in detail waits for -vv.
    Logger log = Logging.forVerbosity(verbosity - 1);
    WatchLog printed = new WatchLog(Report.of(first.output(), out, err), err, verbosity);
    metrics.served().ifPresent(address -> printed.serving(named(address)));
    WatchEvents events =
        WatchEvents.all(
            List.of(
                new WatchEvents() {
                  @Override
                  public void reloading() {
                    // logrotate moved the file: the next line goes to a new one at the same path.
                    audit.reopen();
                  }
                },
                printed,
                new CountedWatch(metrics, Clock.systemUTC())));
    return new Watch(
            connector,
            first.connection(),
            interval,
            source,
            new Pgkill(connector, Confirmation.ASSUMED, log, Stopping.UNHEARD, audit),
            control,
            events,
            new Random(),
            audit::failed)
        .run(policy)
        .code();
  }

  /**
   * A watch of each of {@code servers} on its own, on the same rules: what each does is printed
   * labelled with its server, and a reload or a stop is heard by all.
   */
  int overServers(
      Duration interval,
      PolicySource source,
      Policy policy,
      AuditTrail audit,
      WatchMetrics metrics,
      WatchControl control,
      List<FleetServer> servers) {
    Invocation first = policy.rules().get(0).invocation();
    int verbosity = first.output().verbosity();
    Logger log = Logging.forVerbosity(verbosity - 1);
    Report report = Report.of(first.output(), out, err);
    WatchLog printed = new WatchLog(report, err, verbosity);
    metrics.served().ifPresent(address -> printed.serving(named(address)));
    WatchEvents run =
        WatchEvents.all(
            List.of(
                new WatchEvents() {
                  @Override
                  public void reloading() {
                    audit.reopen();
                  }
                },
                printed));
    return new FleetWatch(
            connector,
            interval,
            source,
            new Pgkill(connector, Confirmation.ASSUMED, log, Stopping.UNHEARD, audit),
            control,
            run,
            server ->
                WatchEvents.all(
                    List.of(
                        new WatchLog(report, err, verbosity, Optional.of(server)),
                        new CountedWatch(metrics.forServer(server.label()), Clock.systemUTC()))),
            audit::failed)
        .run(policy, servers)
        .code();
  }

  /** {@code 127.0.0.1, port 9187}: a port 0 asked for any free one, and this is the one it got. */
  private static String named(java.net.InetSocketAddress address) {
    return (address.getAddress().isAnyLocalAddress() ? "every interface" : address.getHostString())
        + ", port "
        + address.getPort();
  }
}
