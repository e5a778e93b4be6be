package dev.pgkill.cli;

import dev.pgkill.connect.Connector;
import dev.pgkill.connect.Environment;
import dev.pgkill.connect.PasswordSource;
import dev.pgkill.connect.SettingsResolver;
import dev.pgkill.report.Report;
import dev.pgkill.run.Confirmation;
import dev.pgkill.run.ExitStatus;
import dev.pgkill.run.Fleet;
import dev.pgkill.run.FleetServer;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Pgkill;
import dev.pgkill.run.Stopping;
import dev.pgkill.text.UsageError;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code pgkill} command, which only wires: picocli parses the arguments into the options
 * classes, {@link Invocations} checks them into an {@link Invocation}, and {@link Pgkill} runs it.
 */
@Command(
    name = "pgkill",
    sortOptions = false,
    usageHelpAutoWidth = true,
    versionProvider = VersionText.class,
    synopsisHeading = "Usage: ",
    parameterListHeading = "%nTargets:%n",
    customSynopsis = {
      "pgkill (-c | -t) [-n] [OPTIONS] [PID... | -] [SELECTION...]",
      "       pgkill -l [OPTIONS] [PID... | -] [SELECTION...]",
      "       pgkill --policy FILE [--watch INTERVAL | --check] [OPTIONS]",
      "       pgkill --rehearse FILE [-l | -c | -t] [--policy FILE | SELECTION...]",
      ""
    },
    description = {
      "Cancel the running query of PostgreSQL backends, or terminate them, through the"
          + " server's pg_cancel_backend() and pg_terminate_backend(). Each target is looked up"
          + " in pg_stat_activity first and signalled only if it is still the same backend (pid"
          + " and backend_start); pgkill never signals its own session, nor anything but a client"
          + " backend unless asked. Each target is reported with the server's answer: the"
          + " boolean, or its WARNING or ERROR."
    },
    footerHeading = "%nExit status:%n",
    footer = {
      "  0  at least one target, and every target signalled (with --wait: and ended);",
      "     with --list: at least one session matched",
      "  1  nothing matched, or nothing was signalled",
      "  2  usage error: bad option, PID, duration, regex or connection setting;",
      "     nothing was signalled",
      "  3  could not connect or authenticate, the server failed outside any target,",
      "     or standard output or an audit line could not be written",
      "  4  partial: some targets signalled, some not",
      "  5  refused by a safety rule: over --max, declined at the prompt, or chosen",
      "     by a filter with no terminal to ask on and no --yes; nothing signalled",
      "  6  another run holds the lock (--policy, --lock); this one did nothing",
      "  --policy: the worst status over its rules (3, then 5, then the targets",
      "     of every rule counted together); --watch: 0 when stopped by a signal",
      "  --server, --service, --servers: 0 only if every server was reached and",
      "     every target signalled; 3 if no server was reached; 4 if some servers",
      "     or some targets failed; 5 if refused with nothing signalled anywhere;",
      "     with --policy, each server's status is its policy's",
      "  130  stopped by SIGINT (143: SIGTERM) while waiting, after printing what",
      "       was signalled",
      "",
      "Examples:",
      "  pgkill -c 4242                  cancel the query of backend 4242",
      "  pgkill -t 4242 4243             terminate two sessions",
      "  pgkill -t --wait 4242           terminate, and say whether it is gone",
      "  pgkill -c --escalate=30s 4242   cancel; terminate if still busy 30s later",
      "  pgkill -l -u app                list the sessions of role app",
      "  pgkill -t -s idle-in-transaction --idle-longer-than 10m \\",
      "      --exclude-application 'pg_dump*' -y",
      "                                  end forgotten transactions (cron)",
      "  pgkill -c --running-longer-than 5m --database shop",
      "                                  cancel runaway queries",
      "  pgkill -c --query '^select .* from big_table' -i -n",
      "                                  show what would be cancelled",
      "  pgkill -t -u app --client 10.1.0.0/16",
      "                                  end app's sessions from one network",
      "  pgkill -t --newest -a 'report-*'",
      "                                  end the latest report job",
      "  pgkill -l -o id -u app > ids; pgkill -t - < ids",
      "                                  replay a list, with the identity check",
      "  psql -Atc 'select pid from ...' | pgkill -c -",
      "                                  PIDs from another tool",
      "  pgkill -c -a 'report-*' --service db1 --service db2 -y",
      "                                  cancel on two servers of pg_service.conf",
      "  pgkill --policy /etc/pgkill/policy.toml",
      "                                  apply a policy's rules once (cron)",
      "  pgkill --watch 30s --policy /etc/pgkill/policy.toml",
      "                                  apply them every 30s (a service)",
      "  pgkill -l -o json >> seen.json; pgkill --rehearse seen.json \\",
      "      --policy /etc/pgkill/policy.toml",
      "                                  what the rules would have chosen then",
      "",
      "Connection settings are found as psql finds them: -d (a name, a postgresql:// URI or a"
          + " key=value string), -h -p -U, the service file (PGSERVICE), the PG* environment,"
          + " ~/.pgpass, then a local server's socket. To signal other roles' sessions the"
          + " role needs pg_signal_backend, and pg_read_all_stats (or pg_monitor) to identify"
          + " them."
    })
public final class PgkillCommand implements Callable<Integer> {

  @Mixin ActionOptions action = new ActionOptions();

  @Parameters(
      paramLabel = "PID",
      index = "0..*",
      description = {
        "Backend PIDs; PID@BACKEND_START also checks the backend's start time.",
        "- reads them from standard input, separated by white space; # starts a comment.",
        "Named PIDs must also pass any selection options given."
      })
  List<String> targets = new ArrayList<>();

  @Mixin SelectionOptions selection = new SelectionOptions();

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Mixin FleetOptions fleet = new FleetOptions();

  @Mixin SafetyOptions safety = new SafetyOptions();

  @Mixin OutputOptions output = new OutputOptions();

  @Mixin UnattendedOptions unattended = new UnattendedOptions();

  @Mixin MetricsOptions metrics = new MetricsOptions();

  @Mixin AuditOptions audit = new AuditOptions();

  @Option(
      names = {"-?", "--help"},
      order = HelpSections.HELP,
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      order = HelpSections.HELP + 1,
      versionHelp = true,
      description = "Show the version and exit.")
  boolean version;

  /** The parsed command line, for the arguments exactly as typed; set by picocli. */
  @Spec CommandSpec spec;

  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream in;
  private final Environment environment;
  private final Terminal terminal;
  private final Stopping stopping;
  private final ServiceSignals signals;

  PgkillCommand(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal,
      Stopping stopping) {
    this(out, err, in, environment, terminal, stopping, ServiceSignals.NONE);
  }

  PgkillCommand(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal,
      Stopping stopping,
      ServiceSignals signals) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.environment = environment;
    this.terminal = terminal;
    this.stopping = stopping;
    this.signals = signals;
  }

  /** The same command with no options given yet, for a policy rule's arguments. */
  PgkillCommand blank() {
    return new PgkillCommand(out, err, in, environment, terminal, stopping, signals);
  }

  int verbosity() {
    return output.verbosity();
  }

  @Override
  public Integer call() {
    if (unattended.rehearse != null) {
      if (fleet.requested() || fleet.maxTotal != null) {
        throw new UsageError(
            "--rehearse rehearses on one server: it goes with neither --server, --service,"
                + " --servers nor --max-total");
      }
      Logger log = Logging.forVerbosity(output.verbosity());
      return new Rehearse(this, this::invocationOf, out, err)
          .run(
              new Connector(
                  new SettingsResolver(environment, this::warn), terminal::readPassword, log),
              log);
    }
    if (!fleet.requested() && fleet.maxTotal != null) {
      // A cap the run would not apply must not look like one that holds.
      throw new UsageError(
          "--max-total goes with --server, --service or --servers; on one server, --max N is the"
              + " cap");
    }
    if (fleet.requested()) {
      if (action.count) {
        // One bare number per server, unlabelled, is no answer; --list labels each and sums up.
        throw new UsageError(
            "--count counts on one server: with several, use --list, which counts each server's"
                + " sessions and the run's");
      }
      if (unattended.requested() || metrics.metricsPort != null) {
        return unattendedOverServers();
      }
      return overServers();
    }
    if (unattended.requested() || metrics.metricsPort != null) {
      Logger log = Logging.forVerbosity(output.verbosity());
      // Nobody is there to type a password: it is found as psql finds it, or not at all.
      Connector connector =
          new Connector(new SettingsResolver(environment, this::warn), PasswordSource.NOBODY, log);
      return new Unattended(
              this, this::invocationOf, connector, signals, stopping, out, err, Optional.empty())
          .run(this::single, () -> Audits.open(audit, environment, this::error));
    }
    return single();
  }

  /** The command line's own single pass. */
  private int single() {
    Invocation invocation = invocationOf(this);
    Report report = Report.of(invocation.output(), out, err);
    if (!targets.isEmpty() && invocation.selection().targets().isEmpty()) {
      // PIDs were asked for and none came: never fall back to what the filters alone choose.
      report.error("no targets: standard input held no PIDs");
      return ExitStatus.NOTHING_DONE.code();
    }
    Logger log = Logging.forVerbosity(invocation.output().verbosity());
    Connector connector =
        new Connector(new SettingsResolver(environment, this::warn), terminal::readPassword, log);
    Confirmation confirmation =
        safety.yes ? Confirmation.ASSUMED : new TerminalConfirmation(terminal);
    try (Audits audits = Audits.open(audit, environment, this::error)) {
      return new Pgkill(connector, confirmation, log, stopping, audits.trail())
          .run(invocation, report)
          .code();
    }
  }

  /**
   * A policy's rules, or a watch's, on each of several servers (or --lock over the command line's
   * run on them).
   */
  private int unattendedOverServers() {
    if (unattended.policy != null && fleet.maxTotal != null) {
      throw new UsageError(
          "--max-total does not go with --policy: each rule's max counts on each server");
    }
    if (unattended.watch != null && fleet.maxTotal != null) {
      throw new UsageError("--max-total does not go with --watch: --max counts on each server");
    }
    int parallel = fleet.parallel();
    SettingsResolver resolver = new SettingsResolver(environment, this::warn);
    Logger log = Logging.forVerbosity(output.verbosity());
    // Nobody is there to type a password, and passes run side by side.
    Connector connector = new Connector(resolver, PasswordSource.NOBODY, log);
    return new Unattended(
            this,
            this::invocationOf,
            connector,
            signals,
            stopping,
            out,
            err,
            Optional.of(
                new UnattendedServers(fleet, resolver, connector, parallel, out, err, stopping)))
        .run(this::overServers, () -> Audits.open(audit, environment, this::error));
  }

  /** One pass on each of several servers, with one decision and one summary for the run. */
  private int overServers() {
    Invocation invocation = invocationOf(this);
    SettingsResolver resolver = new SettingsResolver(environment, this::warn);
    List<FleetServer> servers = fleet.servers(invocation.connection(), resolver);
    int parallel = fleet.parallel();
    Optional<Integer> maxTotal = fleet.maxTotal();
    if (servers.size() > 1
        && invocation.selection().targets().stream()
            .anyMatch(t -> t.systemIdentifier().isEmpty())) {
      throw new UsageError(
          "a PID names a backend of one server: with several servers, name each as"
              + " PID@BACKEND_START@SYSTEM_IDENTIFIER (as --output id prints it), or choose"
              + " sessions by selection options");
    }
    Report report = Report.of(invocation.output(), out, err);
    if (!targets.isEmpty() && invocation.selection().targets().isEmpty()) {
      report.error("no targets: standard input held no PIDs");
      return ExitStatus.NOTHING_DONE.code();
    }
    Logger log = Logging.forVerbosity(invocation.output().verbosity());
    // Passes run side by side: nobody could tell which server a password prompt is for.
    Connector connector = new Connector(resolver, PasswordSource.NOBODY, log);
    Confirmation confirmation =
        safety.yes ? Confirmation.ASSUMED : new TerminalConfirmation(terminal);
    try (Audits audits = Audits.open(audit, environment, this::error)) {
      return new Fleet(connector, confirmation, log, audits.trail(), parallel, maxTotal, stopping)
          .run(invocation, servers, report)
          .code();
    }
  }

  /** An error that does not stop the run at once, such as an audit line that was lost. */
  private void error(String error) {
    err.println("pgkill: error: " + error);
    err.flush();
  }

  /**
   * What {@code rule} asks, checked, with this command line's connection and output settings: the
   * command line itself, or one rule of a policy parsed into a {@link #blank()} command.
   */
  private Invocation invocationOf(PgkillCommand rule) {
    return new Invocations(in, environment, terminal)
        .of(
            new Invocations.Options(
                rule.action,
                rule.targets,
                rule.selection,
                rule.safety,
                connection,
                output,
                audit,
                rule.spec.commandLine().getParseResult().originalArgs()));
  }

  /** A warning that does not stop the run, such as an unsafe password file, as libpq prints it. */
  private void warn(String warning) {
    err.println("pgkill: warning: " + warning);
    err.flush();
  }
}
