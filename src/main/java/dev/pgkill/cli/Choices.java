package dev.pgkill.cli;

import dev.pgkill.report.OutputOptions.Format;
import dev.pgkill.select.State;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;

/**
 * The options that take one of a few words, converted by picocli as it parses. A bad word is a
 * {@link UsageError} in pgkill's words, which {@link Cli} prints in place of picocli's own.
 */
final class Choices {
  private Choices() {}

  /** The word as a constant of {@code type}, in any case. */
  static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value)) {
        return constant;
      }
    }
    throw new UsageError(
        "invalid "
            + option
            + " "
            + SafeText.quoted(value)
            + ": expected "
            + Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }

  /** {@code --output}. */
  static final class Formats implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return choice("--output", value, Format.class);
    }
  }

  /** {@code --color}. */
  static final class Colours implements ITypeConverter<OutputOptions.Colour> {
    @Override
    public OutputOptions.Colour convert(String value) {
      return choice("--color", value, OutputOptions.Colour.class);
    }
  }

  /** {@code --state}, spelt as on the command line or as pg_stat_activity shows it. */
  static final class States implements ITypeConverter<State> {
    @Override
    public State convert(String value) {
      return State.parse(value);
    }
  }
}
