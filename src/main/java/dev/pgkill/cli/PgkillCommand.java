package dev.pgkill.cli;

import dev.pgkill.text.SafeText;

import dev.pgkill.run.Confirmation;
import dev.pgkill.run.ExitStatus;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Invocation.Mode;
import dev.pgkill.run.Pgkill;
import dev.pgkill.run.Stopping;
import dev.pgkill.text.UsageError;
import dev.pgkill.connect.Connector;
import dev.pgkill.connect.Environment;
import dev.pgkill.connect.SettingsResolver;
import dev.pgkill.report.OutputOptions;
import dev.pgkill.report.OutputOptions.Format;
import dev.pgkill.report.Report;
import dev.pgkill.select.Durations;
import dev.pgkill.select.Filters;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Target;
import dev.pgkill.select.TargetReader;
import dev.pgkill.signal.Action;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code pgkill} command: reads the arguments into an {@link Invocation} and runs it. */
@Command(
    name = "pgkill",
    sortOptions = false,
    usageHelpAutoWidth = true,
    versionProvider = PgkillCommand.Version.class,
    synopsisHeading = "Usage: ",
    parameterListHeading = "%nTargets:%n",
    customSynopsis = {
      "pgkill (-c | -t) [-n] [OPTIONS] [PID... | -] [SELECTION...]",
      "       pgkill -l [OPTIONS] [PID... | -] [SELECTION...]",
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
      "     or standard output could not be written",
      "  4  partial: some targets signalled, some not",
      "  5  refused by a safety rule: over --max, declined at the prompt, or chosen",
      "     by a filter with no terminal to ask on and no --yes; nothing signalled",
      "130  stopped by SIGINT (143: SIGTERM) while waiting, after printing what was",
      "     signalled",
      "",
      "Examples:",
      "  pgkill -c 4242                                  cancel the query of backend 4242",
      "  pgkill -t 4242 4243                             terminate two sessions",
      "  pgkill -t --wait 4242                           terminate, and say whether it is gone",
      "  pgkill -c --escalate=30s 4242                   cancel; terminate if still busy 30s later",
      "  pgkill -l -u app                                list the sessions of role app",
      "  pgkill -t -s idle-in-transaction --idle-longer-than 10m --exclude-application 'pg_dump*' -y",
      "                                                  end forgotten transactions (cron)",
      "  pgkill -c --running-longer-than 5m --database shop     cancel runaway queries",
      "  pgkill -c --query '^select .* from big_table' -i -n    show what would be cancelled",
      "  pgkill -t -u app --client 10.1.0.0/16           end app's sessions from one network",
      "  pgkill -t --newest -a 'report-*'                end the latest report job",
      "  pgkill -l -o id -u app > ids; pgkill -t - < ids replay a list, with the identity check",
      "  psql -Atc 'select pid from ...' | pgkill -c -   PIDs from another tool",
      "",
      "Connection settings are found as psql finds them: -d (a name, a postgresql:// URI or a"
          + " key=value string), -h -p -U, the service file (PGSERVICE), the PG* environment,"
          + " ~/.pgpass, then a local server's socket. To signal other roles' sessions the"
          + " role needs pg_signal_backend, and pg_read_all_stats (or pg_monitor) to identify"
          + " them."
    })
public final class PgkillCommand implements Callable<Integer> {

  @Option(names = {"-c", "--cancel"}, order = HelpSections.ACTION,
      description = "Cancel the running query (pg_cancel_backend); the session stays.")
  boolean cancel;

  @Option(names = {"-t", "--terminate"}, order = HelpSections.ACTION + 1,
      description = "Terminate the session (pg_terminate_backend).")
  boolean terminate;

  @Option(names = {"-l", "--list"}, order = HelpSections.ACTION + 2,
      description = "Only list the matching sessions, like pgrep; signal nothing. With no"
          + " selection, every client backend (or every backend of the --backend-type given).")
  boolean list;

  @Option(names = {"-n", "--dry-run"}, order = HelpSections.ACTION + 3,
      description = "With -c or -t: show what would be signalled, and what the server would"
          + " refuse and why (predicted from pgkill's role and each target's); signal nothing.")
  boolean dryRun;

  @Option(names = "--wait", arity = "0..1", paramLabel = "TIMEOUT", order = HelpSections.ACTION + 4,
      parameterConsumer = OptionalDuration.class,
      description = "After signalling, wait until each target's query (-c) or session (-t) has"
          + " really ended, up to TIMEOUT (default 10s); report cancelled, terminated, or still"
          + " running. Stopped while waiting (SIGINT, SIGTERM), pgkill still prints what it"
          + " signalled, then exits 130 or 143.")
  String wait;

  @Option(names = "--escalate", arity = "0..1", paramLabel = "GRACE",
      order = HelpSections.ACTION + 5, parameterConsumer = OptionalDuration.class,
      description = "With -c: terminate the sessions still running the same query, or still idle"
          + " in the same transaction, GRACE (default 10s) after the cancel; then wait as --wait.")
  String escalate;

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

  @Option(names = "--max", paramLabel = "N", order = HelpSections.SAFETY,
      description = "Refuse the whole run if more than N sessions would be signalled"
          + " (default: ${DEFAULT-VALUE}); a dry run still lists them.")
  int max = Invocation.DEFAULT_MAX;

  @Option(names = {"-y", "--yes"}, order = HelpSections.SAFETY + 1,
      description = "Signal what a filter chose without asking. Without --yes pgkill asks on the"
          + " controlling terminal (/dev/tty), whatever standard input and output are, and with no"
          + " terminal at all (cron) refuses with exit status 5.")
  boolean yes;

  @Option(names = "--unverified", order = HelpSections.SAFETY + 2,
      description = "Also signal named PIDs whose backend_start pgkill's role cannot see (it lacks"
          + " pg_read_all_stats), checking only pid, user and database. Their type is hidden"
          + " too (one may be a parallel worker): add --backend-type any to take that risk.")
  boolean unverified;

  @Mixin OutputOptionsMixin output = new OutputOptionsMixin();

  @Option(names = {"-?", "--help"}, order = HelpSections.HELP, usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(names = {"-V", "--version"}, order = HelpSections.HELP + 1, versionHelp = true,
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

  PgkillCommand(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal,
      Stopping stopping) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.environment = environment;
    this.terminal = terminal;
    this.stopping = stopping;
  }

  int verbosity() {
    return output.verbosity();
  }

  @Override
  public Integer call() {
    Invocation invocation = invocation();
    Report report = Report.of(invocation.output(), out, err);
    if (!targets.isEmpty() && invocation.selection().targets().isEmpty()) {
      // PIDs were asked for and none came: never fall back to what the filters alone choose.
      report.error("no targets: standard input held no PIDs");
      return ExitStatus.NOTHING_DONE.code();
    }
    Logger log = Logging.forVerbosity(invocation.output().verbosity());
    Connector connector =
        new Connector(new SettingsResolver(environment, this::warn), terminal::readPassword, log);
    Confirmation confirmation = yes ? Confirmation.ASSUMED : new TerminalConfirmation(terminal);
    return new Pgkill(connector, confirmation, log, stopping).run(invocation, report).code();
  }

  /** A warning that does not stop the run, such as an unsafe password file, as libpq prints it. */
  private void warn(String warning) {
    err.println("pgkill: warning: " + warning);
    err.flush();
  }

  /** Checks the whole command line before anything connects, so a bad input signals nothing. */
  Invocation invocation() {
    Mode mode = mode();
    Filters filters = selection.filters();
    // A listing only reads: with no selection it shows every client backend (or every backend
    // of the types asked for). A signal needs a target.
    if (targets.isEmpty() && !filters.any() && mode != Mode.LIST) {
      throw new UsageError(
          "no target: give PIDs, - to read them from standard input, or selection options;"
              + " pgkill never means every session"
              + (filters.equals(Filters.none())
                  ? ""
                  : " (exclusions, --newest, --oldest and --backend-type only narrow a selection)"));
    }
    if (max < 1) {
      throw new UsageError("invalid --max \"" + max + "\": must be at least 1");
    }
    if (spec != null) {
      OptionalDuration.attachedValues(
          spec.commandLine().getParseResult().originalArgs(), "--wait", "--escalate");
    }
    if (mode == Mode.LIST && (wait != null || escalate != null)) {
      throw new UsageError(
          (wait != null ? "--wait" : "--escalate") + " goes with --cancel or --terminate, not --list");
    }
    if (escalate != null && !cancel) {
      throw new UsageError("--escalate goes with --cancel: it terminates what a cancel did not end");
    }
    return new Invocation(
        mode,
        mode == Mode.LIST ? null : cancel ? Action.CANCEL : Action.TERMINATE,
        new Selection(targets(), filters),
        max,
        unverified,
        waitFor("--wait", wait),
        waitFor("--escalate", escalate),
        connection.request(),
        output.options(environment, terminal));
  }

  /** An optional duration option: absent, given alone (its default), or given a duration. */
  private static Optional<Duration> waitFor(String option, String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.equals(OptionalDuration.DEFAULT)) {
      return Optional.of(Invocation.DEFAULT_WAIT);
    }
    Duration duration = Durations.parse(option, value);
    if (duration.compareTo(Invocation.LONGEST_WAIT) > 0) {
      throw new UsageError(
          "invalid " + option + " " + SafeText.quoted(value) + ": longer than "
              + Invocation.LONGEST_WAIT.toMillis() + "ms, the longest the server can wait");
    }
    return Optional.of(duration);
  }

  private Mode mode() {
    int actions = (cancel ? 1 : 0) + (terminate ? 1 : 0) + (list ? 1 : 0);
    if (actions > 1) {
      throw new UsageError("--cancel, --terminate and --list exclude each other: give one action");
    }
    if (actions == 0) {
      throw new UsageError(
          dryRun
              ? "--dry-run goes with --cancel or --terminate"
              : "no action: give --cancel, --terminate or --list");
    }
    if (dryRun && list) {
      throw new UsageError("--dry-run goes with --cancel or --terminate, not --list");
    }
    return list ? Mode.LIST : dryRun ? Mode.DRY_RUN : Mode.SIGNAL;
  }

  private List<Target> targets() {
    Map<Integer, Target> unique = new LinkedHashMap<>();
    boolean stdinRead = false;
    for (String token : targets) {
      if (token.equals("-")) {
        if (!stdinRead) {
          stdinRead = true;
          new TargetReader("standard input")
              .read(
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                  t -> unique.putIfAbsent(t.pid(), t));
        }
      } else {
        Target target = Target.parse(token);
        unique.putIfAbsent(target.pid(), target);
      }
    }
    return List.copyOf(unique.values());
  }

  /** What to print, and where. */
  static final class OutputOptionsMixin {
    enum Colour { AUTO, ALWAYS, NEVER }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", order = HelpSections.OUTPUT,
        description = "text (default), json (one object per line), pid, or id (PID@BACKEND_START,"
            + " which - reads back).")
    String format = "text";

    @Option(names = "--color", paramLabel = "WHEN", order = HelpSections.OUTPUT + 1,
        description = "auto (default: at a terminal, unless NO_COLOR is set), always, never.")
    String colour = "auto";

    @Option(names = {"-q", "--quiet"}, order = HelpSections.OUTPUT + 2,
        description = "Print nothing on standard output; errors still go to standard error.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, order = HelpSections.OUTPUT + 3,
        description = "Log what happens to standard error, a failure's causes one line each;"
            + " -vv also logs the SQL sent, and stack traces.")
    boolean[] verbose = new boolean[0];

    int verbosity() {
      return verbose.length;
    }

    OutputOptions options(Environment environment, Terminal terminal) {
      Format chosen = choice("--output", format, Format.class);
      boolean useColour =
          switch (choice("--color", colour, Colour.class)) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO ->
                terminal.showsOutput()
                    && environment.get("NO_COLOR") == null
                    && !"dumb".equals(environment.get("TERM"));
          };
      // Only a table on a terminal is cut to its width: nothing else asks the terminal its size.
      int width = chosen == Format.TEXT && !quiet && terminal.showsOutput() ? terminal.width() : 0;
      return new OutputOptions(chosen, quiet, verbosity(), useColour, width);
    }

    private static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(value)) {
          return constant;
        }
      }
      List<String> names = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
      }
      throw new UsageError(
          "invalid " + option + " " + SafeText.quoted(value) + ": expected " + String.join(", ", names));
    }
  }

  /** The version in the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = PgkillCommand.class.getPackage().getImplementationVersion();
      return new String[] {"pgkill " + (version == null ? "(development build)" : version)};
    }
  }
}
