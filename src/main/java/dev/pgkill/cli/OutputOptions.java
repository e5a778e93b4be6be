package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import dev.pgkill.report.OutputOptions.Format;
import dev.pgkill.report.TableColumns;
import dev.pgkill.select.Filters;
import dev.pgkill.text.UsageError;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What to print, and where. */
final class OutputOptions {
  enum Colour {
    AUTO,
    ALWAYS,
    NEVER
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      order = HelpSections.OUTPUT,
      converter = Choices.Formats.class,
      completionCandidates = Choices.FormatWords.class,
      description =
          "text (default), json (one object per line), pid, or id (PID@BACKEND_START,"
              + " which - reads back).")
  Format format = Format.TEXT;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      order = HelpSections.OUTPUT + 1,
      converter = Choices.Colours.class,
      completionCandidates = Choices.ColourWords.class,
      description = "auto (default: at a terminal, unless NO_COLOR is set), always, never.")
  Colour colour = Colour.AUTO;

  @Option(
      names = {"-q", "--quiet"},
      order = HelpSections.OUTPUT + 2,
      description = "Print nothing on standard output; errors still go to standard error.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      order = HelpSections.OUTPUT + 3,
      description =
          "Log what happens to standard error, a failure's causes one line each;"
              + " -vv also logs the SQL sent, and stack traces.")
  boolean[] verbose = new boolean[0];

  @Option(
      names = "--columns",
      paramLabel = "COLUMN",
      split = ",",
      order = HelpSections.OUTPUT + 4,
      completionCandidates = Choices.ColumnWords.class,
      description =
          "The text table's columns, in this order (the query always last): pid, user,"
              + " database, application, client, client_hostname, client_port, backend_type,"
              + " backend_start, state, age, xmin_age, wait_event_type, wait_event, backend_xid,"
              + " query_id, lock_wait, newest_in_group, query. By default the usual ones, then"
              + " those a --wait-event, --query-id or --client-hostname chose by.")
  List<String> columns = new ArrayList<>();

  int verbosity() {
    return verbose.length;
  }

  /**
   * What to print: with {@code count}, only the number of sessions found; the table's columns are
   * those --columns chose, or the default ones with those {@code filters} choose by.
   */
  dev.pgkill.report.OutputOptions options(
      Environment environment, Terminal terminal, boolean count, Filters filters) {
    if (!columns.isEmpty() && (count || format != Format.TEXT)) {
      throw new UsageError(
          "--columns chooses the text table's columns: it goes with neither --count nor -o "
              + (count ? "json, pid or id" : format.name().toLowerCase(java.util.Locale.ROOT)));
    }
    if (count && (format == Format.PID || format == Format.ID)) {
      throw new UsageError(
          "--count prints a number, -o "
              + format.name().toLowerCase(java.util.Locale.ROOT)
              + " a line per session: give one");
    }
    TableColumns table =
        columns.isEmpty() ? TableColumns.showing(filters) : TableColumns.chosen(columns);
    dev.pgkill.report.OutputOptions options = options(environment, terminal);
    return new dev.pgkill.report.OutputOptions(
        options.format(),
        options.quiet(),
        options.verbosity(),
        options.colour(),
        options.width(),
        table,
        count);
  }

  dev.pgkill.report.OutputOptions options(Environment environment, Terminal terminal) {
    boolean useColour =
        switch (colour) {
          case ALWAYS -> true;
          case NEVER -> false;
          case AUTO ->
              terminal.showsOutput()
                  && environment.get("NO_COLOR") == null
                  && !"dumb".equals(environment.get("TERM"));
        };
    // Only a table on a terminal is cut to its width: nothing else asks the terminal its size.
    int width = format == Format.TEXT && !quiet && terminal.showsOutput() ? terminal.width() : 0;
    return new dev.pgkill.report.OutputOptions(format, quiet, verbosity(), useColour, width);
  }
}
