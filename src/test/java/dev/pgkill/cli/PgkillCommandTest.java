package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Run;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line on its own: every usage error is one line, exit 2, and never connects. */
class PgkillCommandTest {

  @Test
  void helpShowsUsageExitStatusesAndExamples() {
    Run run = Run.of("--help");

    assertThat(run.status()).isZero();
    assertThat(run.out())
        .startsWith("Usage: pgkill (-c | -t) [-n] [OPTIONS] [PID... | -] [SELECTION...]")
        .contains("Exit status:", "  4  partial: some targets signalled, some not", "Examples:")
        .contains("-h, --host=HOST", "-?, --help");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void questionMarkIsHelpBecauseDashHIsTheHost() {
    assertThat(Run.of("-?").out()).startsWith("Usage: pgkill");
  }

  @Test
  void versionNamesTheProgram() {
    Run run = Run.of("--version");

    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("pgkill ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-c 12x              | invalid PID \"12x\": not a whole number",
        "-c -5               | invalid PID \"-5\": PIDs are positive whole numbers",
        "-c 0                | invalid PID \"0\": PIDs start at 1",
        "-c 2147483648       | invalid PID \"2147483648\": larger than any PID (2147483647)",
        "-c 42 12x           | invalid PID \"12x\": not a whole number",
        "42                  | no action: give --cancel, --terminate or --list",
        "-c -t 42            | --cancel, --terminate and --list exclude each other: give one action",
        "-c                  | no target: give PIDs, - to read them from standard input, or selection options; pgkill never means every session",
        "-c 42 --bogus       | unknown option \"--bogus\"",
        "-c 42 -p abc        | invalid port \"abc\": not a whole number",
        "-c 42 -p 70000      | invalid port \"70000\": must be from 1 to 65535",
        "-c 42 -w -W         | -w (never prompt) and -W (always prompt) contradict each other",
        "-c 42 -h            | missing required parameter for option '--host'",
        "-c --wait=4242 42   | invalid --wait \"4242\": expected a duration",
        "-c --wait 12x       | invalid PID \"12x\": not a whole number",
        "-t --wait=25d 42    | invalid --wait \"25d\": longer than 2147483647ms, the longest the server can wait",
        "-t --escalate 42    | --escalate goes with --cancel",
        "-l --wait -u app    | --wait goes with --cancel or --terminate, not --list",
        "-l --blocking-longer-than 5s | --blocking-longer-than goes with --blockers",
        "-l --xmin-older-than 1e6     | invalid --xmin-older-than \"1e6\": expected a number of transactions",
      })
  void usageErrorIsOneLineAndExitTwoAndNeverConnects(String args, String message) throws IOException {
    try (ServerSocket server = new ServerSocket(0)) {
      server.setSoTimeout(50);
      String[] argv =
          ("-h 127.0.0.1 -p " + server.getLocalPort() + " " + args).trim().split("\\s+");
      // -p given twice: a later one replaces the earlier, as in psql.
      Run run = Run.of(argv);

      assertThat(run.status()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines()).singleElement().asString()
          .startsWith("pgkill: error: ")
          .contains(message)
          .endsWith("(see pgkill --help)");
      assertThat(accepted(server)).as("connected despite a usage error").isFalse();
    }
  }

  @Test
  void badPortInTheEnvironmentIsAUsageError() {
    Run run = Run.with(java.util.Map.of("PGPORT", "fivefourthreetwo"), "", Terminal.NONE, "-c", "42");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("invalid port \"fivefourthreetwo\"");
  }

  @Test
  void emptyStandardInputIsNothingToDoWithoutConnecting() {
    Run run = Run.withStdin("# nothing today\n", "-h", "127.0.0.1", "-p", "1", "-c", "-");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("pgkill: error: no targets: standard input held no PIDs\n");
  }

  private static boolean accepted(ServerSocket server) throws IOException {
    try {
      server.accept().close();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }
}
