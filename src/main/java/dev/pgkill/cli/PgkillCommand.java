package dev.pgkill.cli;

import dev.pgkill.ExitStatus;
import dev.pgkill.Invocation;
import dev.pgkill.Pgkill;
import dev.pgkill.UsageError;
import dev.pgkill.connect.Connector;
import dev.pgkill.connect.Environment;
import dev.pgkill.connect.PasswordSource;
import dev.pgkill.connect.SettingsResolver;
import dev.pgkill.report.OutputOptions;
import dev.pgkill.report.TextReport;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Target;
import dev.pgkill.select.TargetReader;
import dev.pgkill.signal.Action;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code pgkill} command: reads the arguments into an {@link Invocation} and runs it. */
@Command(
    name = "pgkill",
    sortOptions = false,
    usageHelpAutoWidth = true,
    versionProvider = PgkillCommand.Version.class,
    synopsisHeading = "Usage: ",
    customSynopsis = {
      "pgkill (-c | -t) [OPTIONS] PID...",
      "       pgkill (-c | -t) [OPTIONS] -     (read PIDs from standard input)",
      ""
    },
    description = {
      "Cancel the running query of PostgreSQL backends, or terminate them, through the"
          + " server's pg_cancel_backend() and pg_terminate_backend(). Each target is looked up"
          + " in pg_stat_activity first and signalled only if it is still the same backend (pid"
          + " and backend_start); pgkill never signals its own session, nor anything but a client"
          + " backend. Each target is reported with the server's answer: the boolean, or its"
          + " WARNING or ERROR."
    },
    footerHeading = "%nExit status:%n",
    footer = {
      "  0  at least one target, and every target was signalled",
      "  1  nothing matched, or nothing was signalled",
      "  2  usage error: bad option, PID or connection setting; nothing was signalled",
      "  3  could not connect or authenticate, or the server failed outside any target",
      "  4  partial: some targets signalled, some not",
      "",
      "Examples:",
      "  pgkill --cancel 4242                 cancel the query running in backend 4242",
      "  pgkill -t -h db1 -U admin 4242 4243  terminate two sessions on db1",
      "  psql -Atc \"select pid from pg_stat_activity where ...\" | pgkill --cancel -",
      "",
      "Connection settings are found as psql finds them: -d (a name, a postgresql:// URI or a"
          + " key=value string), -h -p -U, the service file (PGSERVICE), the PG* environment,"
          + " ~/.pgpass, then a local server's socket. To signal other roles' sessions the"
          + " role needs pg_signal_backend, and pg_read_all_stats (or pg_monitor) to identify"
          + " them."
    })
public final class PgkillCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true, heading = "%nAction (exactly one):%n", order = 1)
  ActionOptions action;

  @Parameters(
      paramLabel = "PID",
      index = "0..*",
      arity = "0..*",
      description = {
        "Backend PIDs; PID@BACKEND_START also checks the backend's start time.",
        "- reads them from standard input, separated by white space; # starts a comment."
      })
  List<String> targets = new ArrayList<>();

  @ArgGroup(exclusive = false, heading = "%nConnection:%n", order = 2)
  ConnectionOptions connection = new ConnectionOptions();

  @ArgGroup(exclusive = false, heading = "%nOutput:%n", order = 3)
  OutputGroup output = new OutputGroup();

  @Option(
      names = {"-?", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Show the version and exit.")
  boolean version;

  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream in;
  private final Environment environment;
  private final PasswordSource passwords;

  PgkillCommand(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Environment environment,
      PasswordSource passwords) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.environment = environment;
    this.passwords = passwords;
  }

  static final class ActionOptions {
    @Option(
        names = {"-c", "--cancel"},
        required = true,
        description = "Cancel the running query (pg_cancel_backend); the session stays.")
    boolean cancel;

    @Option(
        names = {"-t", "--terminate"},
        required = true,
        description = "Terminate the session (pg_terminate_backend).")
    boolean terminate;

    Action action() {
      return cancel ? Action.CANCEL : Action.TERMINATE;
    }
  }

  int verbosity() {
    return output.verbosity();
  }

  @Override
  public Integer call() {
    Invocation invocation = invocation();
    TextReport report = new TextReport(out, err, invocation.output().quiet());
    if (invocation.selection().targets().isEmpty()) {
      report.error("no targets: standard input held no PIDs");
      return ExitStatus.NOTHING_DONE.code();
    }
    Logger log = Logging.forVerbosity(invocation.output().verbosity());
    Connector connector =
        new Connector(
            new SettingsResolver(environment, this::warn), passwords, log);
    return new Pgkill(connector, log).run(invocation, report).code();
  }

  /** A warning that does not stop the run, such as an unsafe password file, as libpq prints it. */
  private void warn(String warning) {
    err.println("pgkill: warning: " + warning);
    err.flush();
  }

  /** Checks the whole command line before anything connects, so a bad input signals nothing. */
  Invocation invocation() {
    if (action == null) {
      throw new UsageError("no action: give --cancel or --terminate");
    }
    if (targets.isEmpty()) {
      throw new UsageError("no target: give PIDs, or - to read them from standard input");
    }
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
    return new Invocation(
        action.action(),
        new Selection(List.copyOf(unique.values())),
        connection.request(),
        new OutputOptions(output.quiet, output.verbosity()));
  }

  /** What to print, and where. */
  static final class OutputGroup {
    @Option(
        names = {"-q", "--quiet"},
        description = "Print nothing on standard output; errors still go to standard error.")
    boolean quiet;

    @Option(
        names = {"-v", "--verbose"},
        description = "Log what happens to standard error; -vv also logs the SQL sent.")
    boolean[] verbose = new boolean[0];

    int verbosity() {
      return verbose.length;
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
