package dev.pgkill.cli;

import dev.pgkill.run.ExitStatus;
import dev.pgkill.select.Target;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the configured {@link CommandLine}: the one place that decides how errors look and which
 * exit status they get. Both {@link Main} and the tests use it.
 */
final class Cli {
  private Cli() {}

  static CommandLine commandLine(PgkillCommand command, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(out);
    commandLine.setErr(err);
    // As in psql, a later -h or -p replaces an earlier one.
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine
        .getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, new HelpSections());
    commandLine.setParameterExceptionHandler(Cli::usageError);
    commandLine.setExecutionExceptionHandler(
        (e, cl, parseResult) -> {
          if (e instanceof UsageError) {
            return printUsageError(cl, e.getMessage());
          }
          cl.getErr().println("pgkill: internal error: " + SafeText.oneLine(e.toString()));
          if (command.verbosity() > 1) {
            e.printStackTrace(cl.getErr());
          } else if (command.verbosity() == 1) {
            Causes.of(e).forEach(cl.getErr()::println);
          }
          cl.getErr().flush();
          return ExitStatus.FATAL.code();
        });
    return commandLine;
  }

  private static int usageError(ParameterException e, String[] args) {
    return printUsageError(e.getCommandLine(), explained(e, java.util.List.of(args)));
  }

  /** What is wrong with the arguments, in pgkill's words where picocli's would mislead. */
  static String explained(ParameterException e, java.util.List<String> args) {
    try {
      // --wait=-1s leaves -1s behind as an unknown option: say what is wrong with the duration.
      OptionalDuration.attachedValues(args, "--wait", "--escalate");
    } catch (UsageError durationError) {
      return durationError.getMessage();
    }
    if (e.getCause() instanceof UsageError converted) {
      // A value picocli converted with pgkill's own check, such as --output or --state.
      return converted.getMessage();
    }
    return message(e);
  }

  private static int printUsageError(CommandLine commandLine, String message) {
    // picocli's messages quote the argument as given: made one line here like pgkill's own.
    commandLine
        .getErr()
        .println("pgkill: error: " + SafeText.escaped(message) + " (see pgkill --help)");
    commandLine.getErr().flush();
    return ExitStatus.USAGE.code();
  }

  /** picocli's message, except where a DBA would be misled by it. */
  private static String message(ParameterException e) {
    if (e instanceof UnmatchedArgumentException unmatched) {
      for (String arg : unmatched.getUnmatched()) {
        if (arg.matches("-\\d+")) {
          try {
            Target.parse(arg);
          } catch (UsageError pidError) {
            return pidError.getMessage();
          }
        }
      }
      return "unknown option "
          + unmatched.getUnmatched().stream().findFirst().map(SafeText::quoted).orElse("");
    }
    String message = e.getMessage();
    return message.isEmpty()
        ? message
        : Character.toLowerCase(message.charAt(0)) + message.substring(1);
  }
}
