package dev.pgkill.cli;

import dev.pgkill.connect.Connector;
import dev.pgkill.report.OutputOptions;
import dev.pgkill.report.Report;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Policy;
import dev.pgkill.run.Rehearsal;
import dev.pgkill.run.Rule;
import dev.pgkill.select.Snapshot;
import dev.pgkill.select.SnapshotFile;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * {@code --rehearse FILE}: checks the command line for it, reads the snapshots, and wires {@code
 * run}'s {@link Rehearsal}, which never signals. The selection is the command line's, or each rule
 * of {@code --policy}.
 */
final class Rehearse {
  private final PgkillCommand command;
  private final Function<PgkillCommand, Invocation> invocation;
  private final PrintWriter out;
  private final PrintWriter err;

  Rehearse(
      PgkillCommand command,
      Function<PgkillCommand, Invocation> invocation,
      PrintWriter out,
      PrintWriter err) {
    this.command = command;
    this.invocation = invocation;
    this.out = out;
    this.err = err;
  }

  /** Rehearses; {@code connector} reaches the server whose patterns and clock are used. */
  int run(Connector connector, Logger log) {
    UnattendedOptions unattended = command.unattended;
    if (unattended.watch != null
        || unattended.check
        || unattended.lock != null
        || command.metrics.metricsPort != null) {
      throw new UsageError(
          "--rehearse only shows what a selection would have chosen: it goes with --policy, not"
              + " with --watch, --check or --lock");
    }
    if (command.output.format == OutputOptions.Format.PID) {
      // Bare PIDs of a snapshot piped to pgkill -t - would signal whoever holds them now.
      throw new UsageError(
          "--rehearse does not print bare PIDs: those of a snapshot may belong to other sessions"
              + " by now; use -o id, whose ids are refused once their session is gone");
    }
    if (!command.targets.isEmpty()) {
      throw new UsageError(
          "--rehearse chooses from a snapshot by selection options: give no PIDs, which name"
              + " live backends");
    }
    Path file = unattended.rehearse;
    boolean headed = unattended.policy != null;
    Policy policy;
    if (headed) {
      UnattendedChecks.of(command);
      policy =
          new Policies(unattended.policy, command::blank, invocation, command.action.dryRun).load();
    } else {
      ActionOptions action = command.action;
      if (!action.cancel && !action.terminate && !action.count) {
        // What would be chosen is a listing whatever the action: -l may be left out.
        action.list = true;
      }
      Invocation checked = invocation.apply(command);
      policy =
          new Policy(
              "the command line",
              List.of(new Rule(Unattended.COMMAND_LINE_RULE, checked.reason(), checked)));
    }
    List<Snapshot> snapshots = read(file);
    OutputOptions output = policy.rules().get(0).invocation().output();
    return new Rehearsal(connector, log)
        .run(policy, snapshots, Report.of(output, out, err), headed)
        .code();
  }

  private static List<Snapshot> read(Path file) {
    String name = file.toString();
    try (BufferedReader text = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new SnapshotFile(name).read(text);
    } catch (NoSuchFileException e) {
      throw new UsageError("--rehearse " + SafeText.path(name) + ": no such file");
    } catch (MalformedInputException e) {
      throw new UsageError("--rehearse " + SafeText.path(name) + ": not UTF-8 text");
    } catch (AccessDeniedException e) {
      throw new UsageError("--rehearse " + SafeText.path(name) + ": permission denied");
    } catch (FileSystemException e) {
      throw new UsageError(
          "--rehearse "
              + SafeText.path(name)
              + ": cannot read it: "
              + SafeText.oneLine(e.getReason() == null ? e.toString() : e.getReason()));
    } catch (IOException e) {
      throw new UsageError(
          "--rehearse "
              + SafeText.path(name)
              + ": cannot read it: "
              + SafeText.oneLine(String.valueOf(e.getMessage())));
    }
  }
}
