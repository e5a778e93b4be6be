package dev.pgkill.cli;

import dev.pgkill.connect.Connector;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.MetricsAddress;
import dev.pgkill.report.OutputOptions;
import dev.pgkill.report.Report;
import dev.pgkill.report.WatchMetrics;
import dev.pgkill.run.ExitStatus;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Policy;
import dev.pgkill.run.PolicyRun;
import dev.pgkill.run.PolicySource;
import dev.pgkill.run.Rule;
import dev.pgkill.run.RunLock;
import dev.pgkill.run.Stopping;
import dev.pgkill.run.WatchControl;
import dev.pgkill.text.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The runs nobody watches: a policy applied once (cron), or again and again (--watch), and the lock
 * that keeps two of them from overlapping. Checks the command line for them, then wires {@code
 * run}'s policy pass or watch; a command line's own single pass stays {@link PgkillCommand}'s.
 */
final class Unattended {
  /** The name a watch's one rule from the command line goes by in reports and the audit trail. */
  static final String COMMAND_LINE_RULE = "command-line";

  private final PgkillCommand command;
  private final Function<PgkillCommand, Invocation> invocation;
  private final Connector connector;
  private final ServiceSignals signals;
  private final Stopping stopping;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Optional<OverServers> overServers;

  /** The unattended runs over several servers: a policy once on each, or each watched. */
  interface OverServers {
    /** Every rule once on each server, as cron runs it. */
    int once(Policy policy, AuditTrail audit);

    /** Every rule on each server again and again, each server watched on its own. */
    int watch(
        Duration interval,
        PolicySource source,
        Policy policy,
        AuditTrail audit,
        WatchMetrics metrics,
        WatchControl control);
  }

  Unattended(
      PgkillCommand command,
      Function<PgkillCommand, Invocation> invocation,
      Connector connector,
      ServiceSignals signals,
      Stopping stopping,
      PrintWriter out,
      PrintWriter err,
      Optional<OverServers> overServers) {
    this.command = command;
    this.overServers = overServers;
    this.invocation = invocation;
    this.connector = connector;
    this.signals = signals;
    this.stopping = stopping;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs what the unattended options ask; {@code single} is the command line's own pass, and {@code
   * audits} opens the audit trail the options ask for.
   */
  int run(IntSupplier single, Supplier<Audits> audits) {
    UnattendedOptions options = command.unattended;
    UnattendedChecks.of(command);
    Optional<Duration> interval = options.interval();
    // A SIGHUP or SIGTERM while the policy is read and the port opened must not end the service.
    WatchControl control = new WatchControl();
    if (interval.isPresent()) {
      signals.deliverTo(control);
    }
    Optional<MetricsAddress> metricsAddress = options.metrics(command.metrics);
    Optional<PolicySource> source =
        Optional.ofNullable(options.policy)
            .map(path -> new Policies(path, command::blank, invocation, command.action.dryRun));
    if (options.check) {
      return check(source.orElseThrow().load());
    }
    if (options.policy == null && interval.isEmpty()) {
      // --lock alone: the command line's own pass, under the lock.
      return locked(single);
    }
    Policy policy = source.map(PolicySource::load).orElseGet(this::commandLinePolicy);
    try (Audits opened = audits.get()) {
      if (interval.isEmpty()) {
        return locked(
            () ->
                overServers.isPresent()
                    ? overServers.get().once(policy, opened.trail())
                    : once(policy, opened.trail()));
      }
      return locked(
          () -> {
            try (WatchMetrics metrics =
                metricsAddress
                    .map(
                        overServers.isPresent() ? WatchMetrics::serveByServer : WatchMetrics::serve)
                    .orElseGet(WatchMetrics::none)) {
              PolicySource again = source.orElse(() -> policy);
              if (overServers.isPresent()) {
                return overServers
                    .get()
                    .watch(interval.get(), again, policy, opened.trail(), metrics, control);
              }
              return new WatchService(connector, out, err)
                  .run(interval.get(), again, policy, opened.trail(), metrics, control);
            }
          });
    }
  }

  /** Runs {@code run} under the lock the options ask for, or says another run holds it. */
  private int locked(IntSupplier run) {
    Optional<Path> lockFile = command.unattended.lockFile();
    if (lockFile.isEmpty()) {
      return run.getAsInt();
    }
    Optional<RunLock> lock = RunLock.tryTake(lockFile.get());
    if (lock.isEmpty()) {
      Report.error(
          err,
          "another pgkill run holds the lock "
              + SafeText.path(lockFile.get().toString())
              + "; this run did nothing");
      return ExitStatus.BUSY.code();
    }
    try (RunLock held = lock.get()) {
      return run.getAsInt();
    }
  }

  private int check(Policy policy) {
    if (!command.output.quiet) {
      out.println(
          "policy "
              + SafeText.path(policy.source())
              + " is good: "
              + policy.rules().size()
              + (policy.rules().size() == 1 ? " rule: " : " rules: ")
              + policy.rules().stream().map(Rule::name).collect(Collectors.joining(", ")));
      out.flush();
    }
    return ExitStatus.OK.code();
  }

  private Policy commandLinePolicy() {
    Invocation checked = invocation.apply(command);
    return new Policy(
        "the command line",
        List.of(
            new Rule(
                COMMAND_LINE_RULE,
                checked.reason(),
                checked.withRule(COMMAND_LINE_RULE, checked.reason()))));
  }

  /** A cron run: every rule once, on one connection. */
  private int once(Policy policy, AuditTrail audit) {
    OutputOptions output = policy.rules().get(0).invocation().output();
    return new PolicyRun(connector, stopping, audit, Logging.forVerbosity(output.verbosity()))
        .run(policy, Report.of(output, out, err), output.verbosity() > 0)
        .code();
  }
}
