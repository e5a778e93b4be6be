package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.Environment;
import dev.pgkill.run.Stopping;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.OptionSpec;

/** What {@code --help} shows: every option, under its heading, at 80 columns as the golden file. */
class HelpTest {

  private static CommandLine commandLine() {
    PrintWriter nowhere = new PrintWriter(new StringWriter());
    PgkillCommand command =
        new PgkillCommand(
            nowhere,
            nowhere,
            InputStream.nullInputStream(),
            new Environment(Map.of(), "u", Path.of("/nonexistent")),
            Terminal.NONE,
            Stopping.UNHEARD);
    return Cli.commandLine(command, nowhere, nowhere);
  }

  /** At 80 columns whatever terminal the tests run in: the width must not depend on the machine. */
  private static String helpAt80Columns() {
    CommandLine commandLine = commandLine();
    commandLine.setUsageHelpAutoWidth(false);
    commandLine.setUsageHelpWidth(80);
    return commandLine.getUsageMessage(Ansi.OFF);
  }

  @Test
  void everyOptionHasAHelpSection() {
    List<OptionSpec> options = commandLine().getCommandSpec().options();

    assertThat(options).hasSizeGreaterThan(40);
    // An option whose order is in no section (picocli's default is -1) would vanish from --help.
    assertThat(options)
        .allSatisfy(
            option ->
                assertThat(HelpSections.of(option))
                    .as("help section of %s (order %d)", option.longestName(), option.order())
                    .isPresent());
  }

  @Test
  void helpNamesEveryOption() {
    String help = helpAt80Columns();

    assertThat(commandLine().getCommandSpec().options())
        .allSatisfy(option -> assertThat(help).contains(option.longestName()));
  }

  @Test
  void helpAt80ColumnsIsTheGoldenFile() throws IOException {
    assertThat(helpAt80Columns()).isEqualTo(golden());
  }

  @Test
  void examplesAndExitStatusesWrapCleanlyAt80Columns() {
    String help = helpAt80Columns();
    String footer =
        help.substring(help.indexOf("Exit status:\n"), help.indexOf("\nConnection settings"));

    assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    assertThat(footer.lines().skip(1))
        .as("no example or exit status breaks onto column 0")
        .allSatisfy(line -> assertThat(line).matches("|Examples:|  \\S.*|     .*"));
  }

  private static String golden() throws IOException {
    try (InputStream in = HelpTest.class.getResourceAsStream("/golden/help-80.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
