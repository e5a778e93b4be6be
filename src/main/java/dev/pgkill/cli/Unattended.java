package dev.pgkill.cli;

import dev.pgkill.connect.Connector;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.MetricsAddress;
import dev.pgkill.report.OutputOptions;
import dev.pgkill.report.Report;
import dev.pgkill.report.WatchMetrics;
import dev.pgkill.run.Confirmation;
import dev.pgkill.run.ExitStatus;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Pgkill;
import dev.pgkill.run.Policy;
import dev.pgkill.run.PolicyRun;
import dev.pgkill.run.PolicySource;
import dev.pgkill.run.Rule;
import dev.pgkill.run.RunLock;
import dev.pgkill.run.Stopping;
import dev.pgkill.run.Watch;
import dev.pgkill.run.WatchControl;
import dev.pgkill.run.WatchEvents;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import picocli.CommandLine.Model.OptionSpec;

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

  Unattended(
      PgkillCommand command,
      Function<PgkillCommand, Invocation> invocation,
      Connector connector,
      ServiceSignals signals,
      Stopping stopping,
      PrintWriter out,
      PrintWriter err) {
    this.command = command;
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
    checkCommandLine(options);
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
      return locked(
          () -> {
            if (interval.isPresent()) {
              try (WatchMetrics metrics =
                  metricsAddress.map(WatchMetrics::serve).orElseGet(WatchMetrics::none)) {
                return watch(
                    interval.get(),
                    source.orElse(() -> policy),
                    policy,
                    opened.trail(),
                    metrics,
                    control);
              }
            }
            return once(policy, opened.trail());
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

  private void checkCommandLine(UnattendedOptions options) {
    if (options.check && options.policy == null) {
      throw new UsageError("--check goes with --policy");
    }
    if (options.check && options.watch != null) {
      throw new UsageError("--check and --watch exclude each other");
    }
    if (options.policy != null) {
      if (!command.targets.isEmpty()) {
        throw new UsageError("with --policy the rules choose the sessions: give no PIDs");
      }
      List<String> ruled =
          command.spec.commandLine().getParseResult().matchedOptions().stream()
              .filter(Unattended::setByRules)
              .map(OptionSpec::longestName)
              .distinct()
              .collect(Collectors.toList());
      if (!ruled.isEmpty()) {
        throw new UsageError(
            "with --policy, "
                + String.join(", ", ruled)
                + (ruled.size() == 1 ? " is" : " are")
                + " set by the policy's rules, not on the command line");
      }
    } else if (options.watch != null) {
      if (!command.targets.isEmpty()) {
        throw new UsageError(
            "--watch applies a selection again and again: it takes no PIDs, which name"
                + " sessions once");
      }
      if (command.action.list) {
        throw new UsageError("--watch goes with --cancel or --terminate, or with --policy");
      }
      if (!command.safety.yes && !command.action.dryRun) {
        throw new UsageError(
            "--watch signals what the selection chooses with nobody to ask: add --yes, or use"
                + " --policy");
      }
    }
  }

  /**
   * Options a rule sets: the action (but --dry-run, which rehearses every rule), selection, safety.
   */
  private static boolean setByRules(OptionSpec option) {
    int order = option.order();
    return ((order >= HelpSections.ACTION && order < HelpSections.CONNECTION)
            || (order >= HelpSections.SAFETY && order < HelpSections.OUTPUT))
        && !option.longestName().equals("--dry-run");
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

  private int watch(
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
    metrics
        .served()
        .ifPresent(
            address ->
                printed.serving(
                    (address.getAddress().isAnyLocalAddress()
                            ? "every interface"
                            : address.getHostString())
                        + ", port "
                        + address.getPort()));
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
}
