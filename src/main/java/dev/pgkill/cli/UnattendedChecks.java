package dev.pgkill.cli;

import dev.pgkill.text.UsageError;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the unattended options refuse on the command line, before anything is read or opened: a
 * policy's rules are set in its file only, and a watch of the command line's one rule signals with
 * nobody to ask, so it needs --yes and takes no PIDs.
 */
final class UnattendedChecks {
  private UnattendedChecks() {}

  static void of(PgkillCommand command) {
    UnattendedOptions options = command.unattended;
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
              .filter(UnattendedChecks::setByRules)
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
      if (command.action.list || command.action.count) {
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
   * Options a rule sets: the action (but --dry-run, which rehearses every rule), the selection and
   * the safety options (but --yes).
   */
  private static boolean setByRules(OptionSpec option) {
    int order = option.order();
    return ((order >= HelpSections.ACTION && order < HelpSections.CONNECTION)
            || (order >= HelpSections.SAFETY && order < HelpSections.OUTPUT))
        && !option.longestName().equals("--dry-run")
        // A policy never asks: --yes, typed out of habit in a crontab, says what is so anyway.
        && !option.longestName().equals("--yes");
  }
}
