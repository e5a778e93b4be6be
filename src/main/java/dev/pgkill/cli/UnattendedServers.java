package dev.pgkill.cli;

import dev.pgkill.connect.Connector;
import dev.pgkill.connect.SettingsResolver;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.Report;
import dev.pgkill.report.WatchMetrics;
import dev.pgkill.run.FleetPolicy;
import dev.pgkill.run.FleetServer;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Policy;
import dev.pgkill.run.PolicySource;
import dev.pgkill.run.Stopping;
import dev.pgkill.run.WatchControl;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * A policy, or a watch, over the servers --server, --service and --servers name: each entry
 * resolved as -d would be, with the command line's -h -p -U filling in what it leaves unset.
 */
final class UnattendedServers implements Unattended.OverServers {
  private final FleetOptions fleet;
  private final SettingsResolver resolver;
  private final Connector connector;
  private final int parallel;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Stopping stopping;

  UnattendedServers(
      FleetOptions fleet,
      SettingsResolver resolver,
      Connector connector,
      int parallel,
      PrintWriter out,
      PrintWriter err,
      Stopping stopping) {
    this.fleet = fleet;
    this.stopping = stopping;
    this.resolver = resolver;
    this.connector = connector;
    this.parallel = parallel;
    this.out = out;
    this.err = err;
  }

  @Override
  public int once(Policy policy, AuditTrail audit) {
    Invocation first = policy.rules().get(0).invocation();
    List<FleetServer> servers = fleet.servers(first.connection(), resolver);
    return new FleetPolicy(
            connector, Logging.forVerbosity(first.output().verbosity()), audit, parallel, stopping)
        .run(policy, servers, Report.of(first.output(), out, err), first.output().verbosity() > 0)
        .code();
  }

  @Override
  public int watch(
      Duration interval,
      PolicySource source,
      Policy policy,
      AuditTrail audit,
      WatchMetrics metrics,
      WatchControl control) {
    List<FleetServer> servers =
        fleet.servers(policy.rules().get(0).invocation().connection(), resolver);
    return new WatchService(connector, out, err)
        .overServers(interval, source, policy, audit, metrics, control, servers);
  }
}
