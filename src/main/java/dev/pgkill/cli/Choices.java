package dev.pgkill.cli;

import dev.pgkill.report.OutputOptions.Format;
import dev.pgkill.select.ConnectionCap;
import dev.pgkill.select.State;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
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

  /** {@code --per}. */
  static final class Groups implements ITypeConverter<ConnectionCap.Per> {
    @Override
    public ConnectionCap.Per convert(String value) {
      return choice("--per", value, ConnectionCap.Per.class);
    }
  }

  /** The words {@code type}'s constants are typed as, for shell completion. */
  private static Iterator<String> words(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(constant -> constant.name().toLowerCase(Locale.ROOT))
        .iterator();
  }

  /** {@code --output}'s words, for shell completion. */
  static final class FormatWords implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return words(Format.class);
    }
  }

  /** {@code --color}'s words, for shell completion. */
  static final class ColourWords implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return words(OutputOptions.Colour.class);
    }
  }

  /** {@code --per}'s words, for shell completion. */
  static final class GroupWords implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return words(ConnectionCap.Per.class);
    }
  }

  /** {@code --state}'s words as the command line spells them, for shell completion. */
  static final class StateWords implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(State.values()).map(State::option).iterator();
    }
  }

  /** {@code --columns}' words, for shell completion. */
  static final class ColumnWords implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return dev.pgkill.report.SessionColumn.words().iterator();
    }
  }

  /** {@code --wait-event}'s types, for shell completion; an event of a type follows a colon. */
  static final class WaitEventTypeWords implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return dev.pgkill.select.WaitEvent.TYPES.iterator();
    }
  }

  /**
   * {@code --backend-type}'s words, for shell completion: any, and the types PostgreSQL 10 to 18
   * show in pg_stat_activity. The option takes any other word too (a background worker's type is
   * whatever its extension names it), so this list completes and never checks.
   */
  static final class BackendTypeWords implements Iterable<String> {
    private static final List<String> TYPES =
        List.of(
            "any",
            "client backend",
            "autovacuum launcher",
            "autovacuum worker",
            "logical replication launcher",
            "logical replication worker",
            "parallel worker",
            "background writer",
            "checkpointer",
            "archiver",
            "startup",
            "walreceiver",
            "walsender",
            "walwriter",
            "walsummarizer",
            "slotsync worker",
            "io worker");

    @Override
    public Iterator<String> iterator() {
      return TYPES.iterator();
    }
  }
}
