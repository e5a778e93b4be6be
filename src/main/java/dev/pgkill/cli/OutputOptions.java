package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import dev.pgkill.report.OutputOptions.Format;
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

  int verbosity() {
    return verbose.length;
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
