package dev.pgkill.cli;

import dev.pgkill.cli.PolicyFile.Entry;
import dev.pgkill.cli.PolicyFile.RuleText;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Policy;
import dev.pgkill.run.PolicySource;
import dev.pgkill.run.Rule;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A policy file read and checked whole, each rule by the code that checks a command line: one bad
 * rule refuses the file, before anything connects.
 */
final class Policies implements PolicySource {
  private final Path path;
  private final Supplier<PgkillCommand> blank;
  private final Function<PgkillCommand, Invocation> invocation;
  private final boolean dryRun;

  /**
   * @param blank a command with no options given, for a rule's arguments to be parsed into
   * @param invocation checks a rule's parsed command into what it does, with the command line's
   *     connection and output settings
   */
  Policies(
      Path path,
      Supplier<PgkillCommand> blank,
      Function<PgkillCommand, Invocation> invocation,
      boolean dryRun) {
    this.path = path;
    this.blank = blank;
    this.invocation = invocation;
    this.dryRun = dryRun;
  }

  @Override
  public Policy load() {
    PolicyFile file = new PolicyFile(path.toString());
    List<Rule> rules = new ArrayList<>();
    for (RuleText rule : file.rules(text())) {
      rules.add(rule(file, rule));
    }
    return new Policy(path.toString(), rules);
  }

  private String text() {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new UsageError("policy " + SafeText.path(path.toString()) + ": not UTF-8 text");
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UsageError(
          "cannot read policy " + SafeText.path(path.toString()) + ": no such file");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new UsageError(
          "cannot read policy " + SafeText.path(path.toString()) + ": permission denied");
    } catch (IOException e) {
      throw new UsageError(
          "cannot read policy "
              + SafeText.path(path.toString())
              + ": "
              + SafeText.oneLine(String.valueOf(e.getMessage())));
    }
  }

  private Rule rule(PolicyFile file, RuleText rule) {
    PgkillCommand command = blank.get();
    CommandLine commandLine = new CommandLine(command);
    RuleArguments.Arguments arguments =
        new RuleArguments(commandLine.getCommandSpec(), file).of(rule);
    List<String> args = new ArrayList<>(arguments.args());
    if (dryRun) {
      args.add("--dry-run");
    }
    try {
      // Checked first: a --wait value that is no duration would otherwise be read as a PID.
      OptionalDuration.attachedValues(args, "--wait", "--escalate");
      commandLine.parseArgs(args.toArray(String[]::new));
      if (!command.targets.isEmpty()) {
        throw new UsageError("a rule names no PIDs: it chooses by its selection keys");
      }
      if (!command.action.cancel && !command.action.terminate) {
        throw new UsageError("no action: set cancel = true or terminate = true");
      }
      if (!command.selection.filters().any()) {
        throw new UsageError(
            "no selection: a rule needs keys that choose sessions (user, state,"
                + " idle-longer-than, ...); pgkill never means every session");
      }
      Invocation checked = invocation.apply(command);
      // The rule's own reason, else the command line's --reason.
      Optional<String> reason = arguments.reason().or(checked::reason);
      return new Rule(rule.name(), reason, checked.withRule(rule.name(), reason));
    } catch (ParameterException e) {
      throw placed(file, rule, Cli.explained(e, args));
    } catch (UsageError e) {
      throw placed(file, rule, e.getMessage());
    }
  }

  /** The error at the line of the key it names, else at the rule's header. */
  private static UsageError placed(PolicyFile file, RuleText rule, String message) {
    int line = rule.line();
    for (Entry entry : rule.entries()) {
      if (message.contains("--" + entry.key())) {
        line = entry.line();
        break;
      }
    }
    return file.error(line, rule.name(), message);
  }
}
