package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Hostile;
import dev.pgkill.testing.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Assertions;
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
    String exitStatus =
        run.out()
            .substring(run.out().indexOf("Exit status:\n") + 13, run.out().indexOf("\nExamples:"));
    assertThat(exitStatus.lines().filter(line -> !line.isBlank()))
        .as("no exit status line wraps to the margin")
        .hasSizeGreaterThanOrEqualTo(6)
        .allSatisfy(
            line ->
                assertThat(line)
                    .matches("  [0-6]  .*|  130  .*|  --policy: .*|  --server, .*| {5,}\\S.*"))
        .anySatisfy(line -> assertThat(line).startsWith("  130  stopped by SIGINT (143: SIGTERM)"));
  }

  @Test
  void helpSaysAFilterChoiceNeedsYesWithNoTerminal() {
    String help = Run.of("--help").out().replaceAll("\\s+", " ");

    assertThat(help)
        .contains(
            "Without --yes pgkill asks on the controlling terminal (/dev/tty), whatever"
                + " standard input and output are, and with no terminal at all (cron) refuses with exit"
                + " status 5.")
        .contains(
            "5 refused by a safety rule: over --max, declined at the prompt, or chosen by a"
                + " filter with no terminal to ask on and no --yes; nothing signalled");
  }

  @Test
  void colourAndWidthFollowStandardOutputNotTheTerminalAskedOn() {
    dev.pgkill.connect.Environment environment =
        new dev.pgkill.connect.Environment(
            java.util.Map.of("TERM", "xterm"), "u", java.nio.file.Path.of("/nonexistent"));
    int[] asked = {0};
    class Fake implements Terminal {
      final boolean showsOutput;

      Fake(boolean showsOutput) {
        this.showsOutput = showsOutput;
      }

      @Override
      public boolean interactive() {
        return true;
      }

      @Override
      public boolean showsOutput() {
        return showsOutput;
      }

      @Override
      public int width() {
        asked[0]++;
        return 100;
      }

      @Override
      public java.util.Optional<String> readLine(String prompt) {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<char[]> readPassword(String prompt) {
        return java.util.Optional.empty();
      }
    }
    OutputOptions output = new OutputOptions();

    // Standard output redirected, a terminal to ask on: no colour, and the size is never asked.
    assertThat(output.options(environment, new Fake(false)))
        .extracting(o -> o.colour(), o -> o.width())
        .containsExactly(false, 0);
    assertThat(asked[0]).isZero();
    assertThat(output.options(environment, new Fake(true)))
        .extracting(o -> o.colour(), o -> o.width())
        .containsExactly(true, 100);
    output.format = dev.pgkill.report.OutputOptions.Format.JSON;
    assertThat(output.options(environment, new Fake(true)).width()).isZero();
    assertThat(asked[0]).isEqualTo(1);
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
        "-t --newest         | pgkill never means every session (exclusions, --newest, --oldest and --backend-type only narrow a selection, and a pattern that matches everything",
        "-t --oldest -n      | pgkill never means every session (exclusions, --newest, --oldest and --backend-type only narrow a selection, and a pattern that matches everything",
        "-t --exclude-user nobody                  | pgkill never means every session (exclusions,",
        "-t -a *                                   | pgkill never means every session (exclusions,",
        "-t -a ** -a *                             | pgkill never means every session (exclusions,",
        "-c --query .*                             | pgkill never means every session (exclusions,",
        "-c --query ^                              | pgkill never means every session (exclusions,",
        "-c --exclude-application pg_dump*         | pgkill never means every session (exclusions,",
        "-t --exclude-database x --backend-type any | pgkill never means every session (exclusions,",
        "-t --connected-longer-than 0s  | invalid --connected-longer-than \"0s\": a zero duration would choose every session; give one longer than zero",
        "-l --idle-longer-than 0ms      | invalid --idle-longer-than \"0ms\": a zero duration would choose every session",
        "-c --running-longer-than 0m0s  | invalid --running-longer-than \"0m0s\": a zero duration",
        "-c --xact-longer-than 0h       | invalid --xact-longer-than \"0h\": a zero duration",
        "-c 42 --bogus       | unknown option \"--bogus\"",
        "-c 42 -p abc        | invalid port \"abc\": not a whole number",
        "-c 42 -p 70000      | invalid port \"70000\": must be from 1 to 65535",
        "-c 42 -w -W         | -w (never prompt) and -W (always prompt) contradict each other",
        "-c 42 -h            | missing required parameter for option '--host'",
        "-c --wait=4242 42   | invalid --wait \"4242\": expected a duration",
        "-c --wait 12x       | invalid PID \"12x\": not a whole number",
        "-t --wait=25d 42    | invalid --wait \"25d\": longer than 2147483647ms, the longest the server can wait",
        "-t --wait=-1s 42    | invalid --wait \"-1s\": expected a duration",
        "-c --escalate=-5m 42 | invalid --escalate \"-5m\": expected a duration",
        "-t --escalate 42    | --escalate goes with --cancel",
        "-l --wait -u app    | --wait goes with --cancel or --terminate, not --list",
        "-l --blocking-longer-than 5s | --blocking-longer-than goes with --blockers",
        "-l --xmin-older-than 1e6     | invalid --xmin-older-than \"1e6\": expected a number of transactions",
        "-t --xmin-older-than 0       | invalid --xmin-older-than \"0\": expected a number of transactions from 1 to 2147483647",
        "-l --query (select          | invalid --query regular expression \"(select\": parentheses () not balanced",
        "-c --query a{3,2} --yes     | invalid --query regular expression \"a{3,2}\": invalid repetition count(s)",
        "-l --client notanip         | invalid --client \"notanip\": not an address or network such as 10.1.2.3, 10.0.0.0/8, ::1 or local",
        "-l --client 10.0.0.1/33     | invalid --client \"10.0.0.1/33\": not an address or network",
        "-l -o yaml                  | invalid --output \"yaml\": expected text, json, pid, id",
        "-l --output=                | invalid --output \"\": expected text, json, pid, id",
        "-l --color sometimes        | invalid --color \"sometimes\": expected auto, always, never",
        "-t --per application --yes  | --per goes with --keep-newest N",
        "-t --keep-newest 2 --yes    | --keep-newest goes with --per user, application, client or database",
        "-t --keep-newest 0 --per user --yes  | invalid --keep-newest \"0\": expected a number of sessions from 1 to 2147483647",
        "-t --keep-newest two --per user      | invalid --keep-newest \"two\": expected a number of sessions",
        "-t --keep-newest 2 --per team        | invalid --per \"team\": expected user, application, client, database",
        "-t --keep-newest 2 --per user --newest | --keep-newest and --newest exclude each other",
        "-t --keep-newest 2 --per user --oldest | --keep-newest and --oldest exclude each other",
        "-t --waiting-longer-than 0s  | invalid --waiting-longer-than \"0s\": a zero duration would choose every session",
        "-l --waiting-longer-than 5   | invalid --waiting-longer-than \"5\": expected a duration",
        "-t --prepared-older-than 1h --yes | --prepared-older-than chooses no session to signal: it lists prepared transactions",
        "-l --prepared-older-than soon     | invalid --prepared-older-than \"soon\": expected a duration",
        "-l -s busy                  | invalid --state \"busy\": expected one of active, idle, idle-in-transaction, idle-in-transaction-aborted, fastpath, disabled",
        "-l --wait-event Lok         | invalid --wait-event \"Lok\": no wait event type \"Lok\"; expected TYPE or TYPE:NAME, TYPE one of Activity, BufferPin, Client, Extension, InjectionPoint, IO, IPC, Lock, LWLock, Timeout",
        "-l --wait-event=            | invalid --wait-event \"\": no wait event type; expected TYPE or TYPE:NAME",
        "-l --wait-event :relation   | invalid --wait-event \":relation\": no wait event type; expected",
        "-l --wait-event Lock:       | invalid --wait-event \"Lock:\": no event after the colon; give Lock for every Lock wait",
        "-l --wait-event Lock,IO     | invalid --wait-event \"Lock,IO\": give --wait-event once for each event",
        "-l --query-id 12x           | invalid --query-id \"12x\": expected a query_id as pg_stat_activity shows it, a whole number from -9223372036854775808 to 9223372036854775807",
        "-l --query-id 9223372036854775808 | invalid --query-id \"9223372036854775808\": expected a query_id",
        "-l --not-query=             | invalid --not-query \"\": empty pattern would leave out every session",
        "-l --not-query (x           | invalid --not-query regular expression \"(x\": parentheses () not balanced",
        "-t --not-query x            | pgkill never means every session (exclusions,",
        "-t --client-hostname *      | pgkill never means every session (exclusions,",
        "-l --client-hostname=       | invalid --client-hostname \"\": empty",
        "-c -i -u app                | -i/--ignore-case goes with --query or --not-query",
        "--count -c -u app           | --count only counts, as --list lists: it goes with neither --cancel, --terminate nor --dry-run",
        "--count -o pid              | --count prints a number, -o pid a line per session: give one",
        "-l --columns pid,bogus      | invalid --columns: no column \"bogus\"; expected some of pid,user,database,application,client,client_hostname,client_port,backend_type,backend_start,state,age,xmin_age,wait_event_type,wait_event,backend_xid,query_id,lock_wait,newest_in_group,query",
        "-l --columns pid -o json    | --columns chooses the text table's columns: it goes with neither --count nor -o json",
        "--count --columns pid       | --columns chooses the text table's columns: it goes with neither --count nor -o json, pid or id",
        "--count --prepared-older-than 1h | --count counts sessions, and --prepared-older-than alone chooses none",
        "--count -u app --server port=1 --server port=2 | --count counts on one server: with several, use --list",
        "-t -a app --max-total 5 -y  | --max-total goes with --server, --service or --servers; on one server, --max N is the cap",
        "--server port=1 --server port=2 --watch 1s -y -c -a app --max-total 5 | --max-total does not go with --watch: --max counts on each server",
        "--server port=1 --server port=2 --watch 1s -c -a app | --watch signals what the selection chooses with nobody to ask: add --yes",
        "--server port=1 --server port=2 --watch 1s -y -c 42 | --watch applies a selection again and again: it takes no PIDs",
        "-l --server postgresql://bob:s3cret@localhost:70000/app | --server (a connection string): ",
      })
  void usageErrorIsOneLineAndExitTwoAndNeverConnects(String args, String message)
      throws IOException {
    try (ServerSocket server = new ServerSocket(0)) {
      server.setSoTimeout(50);
      String[] argv =
          ("-h 127.0.0.1 -p " + server.getLocalPort() + " " + args).trim().split("\\s+");
      // -p given twice: a later one replaces the earlier, as in psql.
      Run run = Run.of(argv);

      assertThat(run.status()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines())
          .singleElement()
          .asString()
          .startsWith("pgkill: error: ")
          .contains(message)
          .endsWith("(see pgkill --help)");
      assertThat(accepted(server)).as("connected despite a usage error").isFalse();
    }
  }

  @Test
  void aServerThatMayHoldAPasswordIsNotQuotedInItsError() {
    Run run = Run.of("-l", "--server", "bob:s3cret@localhost:70000/app");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--server (a connection string): ").doesNotContain("s3cret");
  }

  /** Mistakes in the input alone are found before connecting: no server need be there. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--query=*.sql             | | invalid --query regular expression \"*.sql\": quantifier operand invalid",
        "--client=10.0.0.999       | | invalid --client \"10.0.0.999\": not an address or network such as 10.1.2.3, 10.0.0.0/8, ::1 or local",
        "-a=app                    | notanip | invalid hostaddr \"notanip\": not a numeric IPv4 or IPv6 address (a host name goes in host)",
      })
  void inputMistakeIsAUsageErrorEvenWhenTheServerIsUnreachable(
      String selection, String hostaddr, String message) throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    java.util.Map<String, String> env =
        hostaddr == null ? java.util.Map.of() : java.util.Map.of("PGHOSTADDR", hostaddr);

    Run run =
        Run.with(
            env,
            "",
            Terminal.NONE,
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(closed),
            "-t",
            "--yes",
            selection);

    assertThat(run.status()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("pgkill: error: " + message + " (see pgkill --help)\n");
  }

  @Test
  void badPortInTheEnvironmentIsAUsageError() {
    Run run =
        Run.with(java.util.Map.of("PGPORT", "fivefourthreetwo"), "", Terminal.NONE, "-c", "42");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("invalid port \"fivefourthreetwo\"");
  }

  @Test
  void emptyStandardInputIsNothingToDoWithoutConnecting() {
    Run run = Run.withStdin("# nothing today\n", "-h", "127.0.0.1", "-p", "1", "-c", "-");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("pgkill: error: no targets: standard input held no PIDs\n");
  }

  @Test
  void outputThatCannotBeWrittenIsAnErrorNeverASuccess() {
    java.io.StringWriter err = new java.io.StringWriter();
    java.io.Writer full =
        new java.io.Writer() {
          @Override
          public void write(char[] text, int offset, int length) throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    int status =
        new Main(
                new java.io.PrintWriter(full),
                new java.io.PrintWriter(err),
                java.io.InputStream.nullInputStream(),
                new dev.pgkill.connect.Environment(
                    java.util.Map.of(), "u", java.nio.file.Path.of("/")),
                Terminal.NONE)
            .run("--version");

    assertThat(status).isEqualTo(3);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("pgkill: error: could not write to standard output");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-l",
        "-l --backend-type any",
        "-l --newest",
        "-l --exclude-user nobody",
        "-l --backend-type checkpointer"
      })
  void aListingNeedsNoSelectionSoItGoesOnToConnect(String args) {
    Run run = Run.of(("-h 127.0.0.1 -p " + CLOSED_PORT + " -w " + args).split("\\s+"));

    assertThat(run.status()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).startsWith("pgkill: error: ").doesNotContain("never means");
  }

  private static boolean accepted(ServerSocket server) throws IOException {
    try {
      server.accept().close();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  // Properties (jqwik): whole command lines, run in-process.

  /** A port nothing listens on: every run that gets as far as connecting is refused at once. */
  private static final int CLOSED_PORT = closedPort();

  /**
   * Options that would send pgkill anywhere but the closed port (a host, a port, a connection
   * string), or end it with status 0 (help, version): never generated, and their letters are taken
   * out of generated short-option clusters such as {@code -ch}.
   */
  private static final Set<String> NEVER =
      Set.of("-h", "--host", "-p", "--port", "-d", "--dbname", "-?", "--help", "-V", "--version");

  private static final List<String> FLAGS =
      List.of(
          "-c",
          "--cancel",
          "-t",
          "--terminate",
          "-l",
          "--list",
          "-n",
          "--dry-run",
          "-i",
          "--ignore-case",
          "--newest",
          "--oldest",
          "-y",
          "--yes",
          "--unverified",
          "-q",
          "--quiet",
          "-v",
          "--verbose",
          "-w",
          "--no-password",
          "-W",
          "--password",
          "-");

  private static final List<String> WITH_VALUE =
      List.of(
          "-u",
          "--user",
          "--database",
          "-a",
          "--application",
          "--client",
          "-s",
          "--state",
          "--query",
          "--running-longer-than",
          "--idle-longer-than",
          "--xact-longer-than",
          "--connected-longer-than",
          "--backend-type",
          "--exclude-user",
          "--exclude-database",
          "--exclude-application",
          "--max",
          "-o",
          "--output",
          "--color",
          "-U",
          "--username");

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 400)
  void anyCommandLineIsAUsageErrorNothingDoneOrCouldNotConnect(
      @ForAll("commandLines") List<String> args, @ForAll("stdin") String stdin) {
    List<String> argv =
        new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(CLOSED_PORT)));
    argv.addAll(args);
    Run run =
        Assertions.assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> Run.withStdin(stdin, argv.toArray(String[]::new)));

    assertThat(run.status()).as(run.err()).isIn(1, 2, 3);
    assertThat(run.err()).doesNotContain("\tat ");
    if (args.stream().noneMatch(PgkillCommandTest::mayBeVerbose)) {
      assertThat(run.err()).doesNotContain("Exception");
    }
    if (run.status() == 2) {
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).startsWith("pgkill: error: ").endsWith(" (see pgkill --help)\n");
      Hostile.assertOneLine(run.err().substring(0, run.err().length() - 1));
    }
  }

  private static boolean mayBeVerbose(String arg) {
    return arg.equals("--verbose") || arg.matches("-[^-]*v.*");
  }

  /** Real options with values good and bad, bare values, garbage, and huge strings, mixed. */
  @Provide
  Arbitrary<List<String>> commandLines() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "42",
                "0",
                "-5",
                "2147483648",
                "4242@2026-11-25T20:30:54.123456Z",
                "10m",
                "1h30m",
                "idle",
                "active",
                "json",
                "id",
                "text",
                "never",
                "app*",
                "10.0.0.0/8",
                "local",
                "any",
                "",
                "-",
                "1",
                "^select",
                "(",
                "x\0y"),
            Hostile.text(),
            Hostile.near("0123456789@-msdh", 20));
    Arbitrary<List<String>> option =
        Arbitraries.oneOf(
            Arbitraries.of(FLAGS).map(List::of),
            Arbitraries.of(WITH_VALUE).flatMap(o -> value.map(v -> List.of(o, harmless(v)))),
            Arbitraries.of(WITH_VALUE).flatMap(o -> value.map(v -> List.of(o + "=" + v))),
            value.map(v -> List.of(harmless(v))));
    return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.of("-c", "-t", "-l").map(a -> List.of(List.of(a)))),
            Tuple.of(4, option.list().ofMaxSize(8)))
        .flatMap(head -> option.list().ofMaxSize(6).map(tail -> concat(head, tail)));
  }

  private static List<String> concat(List<List<String>> head, List<List<String>> tail) {
    List<String> all = new ArrayList<>();
    head.forEach(all::addAll);
    tail.forEach(all::addAll);
    return all;
  }

  /**
   * Garbage that cannot name another server or ask for help: a short-option cluster loses the
   * letters h, p, d, ? and V; the long options of NEVER are spelt with a capital.
   */
  private static String harmless(String arg) {
    if (arg.startsWith("--")) {
      return NEVER.stream().anyMatch(o -> arg.startsWith(o)) ? "--X" + arg.substring(2) : arg;
    }
    return arg.startsWith("-") ? "-" + arg.substring(1).replaceAll("[hpd?V]", "") : arg;
  }

  @Provide
  Arbitrary<String> stdin() {
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        Arbitraries.of("42\n", "42 43\n# c\n", "bogus\n", "\u0000"),
        Hostile.text());
  }
}
