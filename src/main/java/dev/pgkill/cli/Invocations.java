package dev.pgkill.cli;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.connect.Environment;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Invocation.Mode;
import dev.pgkill.select.Filters;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Target;
import dev.pgkill.select.TargetReader;
import dev.pgkill.signal.Action;
import dev.pgkill.text.UsageError;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place a parsed command line becomes an {@link Invocation}: every check that weighs one
 * option against another is here, before anything connects, so a bad command line signals nothing.
 * The options classes convert and check only their own values.
 */
final class Invocations {
  /** The command line as picocli parsed it, one options class per help section. */
  record Options(
      ActionOptions action,
      List<String> pids,
      SelectionOptions selection,
      SafetyOptions safety,
      ConnectionOptions connection,
      OutputOptions output,
      AuditOptions audit,
      List<String> typed) {}

  private final InputStream in;
  private final Environment environment;
  private final Terminal terminal;

  Invocations(InputStream in, Environment environment, Terminal terminal) {
    this.in = in;
    this.environment = environment;
    this.terminal = terminal;
  }

  /** Checks the whole command line, in the order a user would fix it, and reads the PIDs. */
  Invocation of(Options options) {
    ActionOptions action = options.action();
    Mode mode = mode(action);
    Filters filters = filters(options.selection());
    if (action.count && filters.onlyPrepared() && options.pids().isEmpty()) {
      throw new UsageError(
          "--count counts sessions, and --prepared-older-than alone chooses none: use --list to"
              + " see the prepared transactions");
    }
    if (filters.preparedOlderThan().isPresent()
        && options.pids().isEmpty()
        && !filters.any()
        && mode != Mode.LIST) {
      throw new UsageError(
          "--prepared-older-than chooses no session to signal: it lists prepared transactions,"
              + " which no signal ends; give it with --list, or beside options that choose"
              + " sessions");
    }
    // A listing only reads: with no selection it shows every client backend (or every backend
    // of the types asked for). A signal needs a target.
    if (options.pids().isEmpty() && !filters.any() && mode != Mode.LIST) {
      throw new UsageError(
          "no target: give PIDs, - to read them from standard input, or selection options;"
              + " pgkill never means every session"
              + (filters.equals(Filters.none())
                  ? ""
                  : " (exclusions, --newest, --oldest and --backend-type only narrow a selection,"
                      + " and a pattern that matches everything, as -a '*' or --query '.*',"
                      + " chooses nothing)"));
    }
    int max = options.safety().max();
    OptionalDuration.attachedValues(options.typed(), "--wait", "--escalate");
    if (mode == Mode.LIST && (action.wait != null || action.escalate != null)) {
      throw new UsageError(
          (action.wait != null ? "--wait" : "--escalate")
              + " goes with --cancel or --terminate, not --list");
    }
    if (action.escalate != null && !action.cancel) {
      throw new UsageError(
          "--escalate goes with --cancel: it terminates what a cancel did not end");
    }
    return new Invocation(
        mode,
        mode == Mode.LIST ? null : action.cancel ? Action.CANCEL : Action.TERMINATE,
        new Selection(targets(options.pids()), filters),
        max,
        options.safety().unverified,
        action.waitFor(),
        action.escalateAfter(),
        connection(options.connection()),
        options.output().options(environment, terminal, action.count, filters),
        Optional.empty(),
        options.audit().reason());
  }

  private static Mode mode(ActionOptions action) {
    if (action.count && (action.cancel || action.terminate || action.dryRun)) {
      throw new UsageError(
          "--count only counts, as --list lists: it goes with neither --cancel, --terminate nor"
              + " --dry-run");
    }
    int actions =
        (action.cancel ? 1 : 0)
            + (action.terminate ? 1 : 0)
            + (action.list || action.count ? 1 : 0);
    if (actions > 1) {
      throw new UsageError("--cancel, --terminate and --list exclude each other: give one action");
    }
    if (actions == 0) {
      throw new UsageError(
          action.dryRun
              ? "--dry-run goes with --cancel or --terminate"
              : "no action: give --cancel, --terminate or --list");
    }
    if (action.dryRun && action.list) {
      throw new UsageError("--dry-run goes with --cancel or --terminate, not --list");
    }
    return action.list || action.count ? Mode.LIST : action.dryRun ? Mode.DRY_RUN : Mode.SIGNAL;
  }

  private static Filters filters(SelectionOptions selection) {
    if (selection.blockingLongerThan != null && !selection.blockers) {
      throw new UsageError("--blocking-longer-than goes with --blockers");
    }
    if (selection.newest && selection.oldest) {
      throw new UsageError("--newest and --oldest exclude each other");
    }
    if (selection.ignoreCase && selection.query == null && selection.notQuery == null) {
      throw new UsageError("-i/--ignore-case goes with --query or --not-query");
    }
    return selection.filters();
  }

  private static ConnectionRequest connection(ConnectionOptions connection) {
    if (connection.never && connection.always) {
      throw new UsageError("-w (never prompt) and -W (always prompt) contradict each other");
    }
    return connection.request();
  }

  /**
   * Whether two tokens name the same backend: the same PID, and the same server where both name
   * one; a token that names no server names the one the run is on, as any other token of that PID.
   */
  private static boolean sameBackend(Target a, Target b) {
    return a.pid() == b.pid()
        && (a.systemIdentifier().isEmpty()
            || b.systemIdentifier().isEmpty()
            || a.systemIdentifier().equals(b.systemIdentifier()));
  }

  /**
   * Adds {@code target} unless a token already named its backend: the first one named stays. The
   * tokens are indexed by PID, so a long list from standard input costs no more than before.
   */
  private static void addOnce(
      List<Target> unique, Map<Integer, List<Target>> byPid, Target target) {
    List<Target> named = byPid.computeIfAbsent(target.pid(), pid -> new ArrayList<>());
    if (named.stream().noneMatch(t -> sameBackend(t, target))) {
      named.add(target);
      unique.add(target);
    }
  }

  /** The PIDs named, and those read from standard input for {@code -}, each once. */
  private List<Target> targets(List<String> tokens) {
    // The same PID on two servers is two backends: an id's server is part of what makes it one.
    List<Target> unique = new ArrayList<>();
    Map<Integer, List<Target>> byPid = new HashMap<>();
    boolean stdinRead = false;
    for (String token : tokens) {
      if (token.equals("-")) {
        if (!stdinRead) {
          stdinRead = true;
          new TargetReader("standard input")
              .read(
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                  t -> addOnce(unique, byPid, t));
        }
      } else {
        Target target = Target.parse(token);
        addOnce(unique, byPid, target);
      }
    }
    return List.copyOf(unique);
  }
}
