package dev.pgkill.cli;

import dev.pgkill.select.Durations;
import dev.pgkill.text.UsageError;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The value of {@code --wait[=TIMEOUT]} and {@code --escalate[=GRACE]}, which may be left out.
 * picocli would take the next argument as the value whatever it is, so that {@code -t --wait 4242}
 * would read the PID as a timeout; this takes the next argument only when it is a duration, and
 * leaves a PID to be a PID. A value written with {@code =} must be a duration: see {@link
 * #attachedValues}.
 */
final class OptionalDuration implements IParameterConsumer {
  /** What the option holds when it is given without a value: its default applies. */
  static final String DEFAULT = "";

  @Override
  public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
    String value = DEFAULT;
    if (!args.isEmpty() && isDuration(args.peek())) {
      value = args.pop();
    }
    argSpec.setValue(value);
  }

  private static boolean isDuration(String text) {
    try {
      Durations.parse("", text);
      return true;
    } catch (UsageError e) {
      // The check is only whether it is one: a PID, an option or a typo is not taken.
      return false;
    }
  }

  /**
   * Checks {@code --wait=X} as typed: the consumer above cannot tell it from {@code --wait X}, and
   * would leave a bad X to be read as a PID. Signalling a PID the user meant as a timeout would be
   * the worst way to fail, so a value after {@code =} that is not a duration is a usage error.
   */
  static void attachedValues(Iterable<String> originalArgs, String... options) {
    for (String arg : originalArgs) {
      if (arg.equals("--")) {
        return;
      }
      for (String option : options) {
        if (arg.startsWith(option + "=")) {
          Durations.parse(option, arg.substring(option.length() + 1));
        }
      }
    }
  }
}
