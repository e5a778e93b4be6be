package dev.pgkill.cli;

import static dev.pgkill.testing.Fixtures.unique;
import static dev.pgkill.testing.Victim.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PgkillProcess;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Pty;
import dev.pgkill.testing.Victim;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgkill at a real terminal: the jar runs under {@code script}, which gives it a pseudo-terminal as
 * its controlling terminal, with standard input and output redirected as a DBA redirects them; the
 * test reads the screen and types. {@code setsid} runs it with no terminal at all, as cron does.
 */
@ExtendWith(PostgresExtension.class)
class TerminalIT {
  private final PostgresServer server;
  @TempDir Path scratch;
  private Path output;

  TerminalIT(PostgresServer server) {
    this.server = server;
  }

  @org.junit.jupiter.api.BeforeEach
  void outputFile() {
    output = scratch.resolve("out");
  }

  @Test
  void aFilterChoiceIsConfirmedOnTheTerminalWhenStandardInputAndOutputAreRedirected()
      throws Exception {
    String app = unique("tty");
    List<Victim> victims = sleepers(app, 2);
    String pgkill = pgkill("-t", "-a", app) + " > " + quote(output) + " < /dev/null";
    try {
      for (String answer : new String[] {"n\n", "\u0004"}) {
        try (Pty pty = new Pty(pgkill)) {
          pty.awaitScreen("? [y/N] ");
          pty.type(answer);

          assertThat(pty.exitStatus()).as(pty.screen()).isEqualTo(5);
          assertThat(pty.screen())
              .contains(Integer.toString(victims.get(0).pid()), app)
              .contains("Terminate 2 sessions on 127.0.0.1:" + server.port() + " (PostgreSQL ");
          // After Ctrl-D as after Enter, the error starts a line of its own.
          assertThat(pty.screen().lines())
              .anyMatch(line -> line.equals("pgkill: error: not confirmed: nothing was signalled"));
          assertThat(Files.readString(output)).isEmpty();
        }
      }
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }

      try (Pty pty = new Pty(pgkill)) {
        pty.awaitScreen("? [y/N] ");
        pty.type("y\n");

        assertThat(pty.exitStatus()).as(pty.screen()).isZero();
      }
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
      }
      // The file holds the report only: the table shown with the question went to the terminal.
      assertThat(Files.readString(output))
          .startsWith("PID ")
          .endsWith("terminate: 2 of 2 targets signalled\n")
          .doesNotContain("[y/N]");
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void withNoControllingTerminalAFilterChoiceNeedsYes() throws Exception {
    String app = unique("cron");
    List<Victim> victims = sleepers(app, 1);
    try {
      Ran refused = withoutTerminal("-t", "-a", app);

      assertThat(refused.status()).as(refused.err()).isEqualTo(5);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.err())
          .isEqualTo(
              "pgkill: error: refusing to terminate 1 session chosen by a filter: there is no"
                  + " terminal to ask on; add --yes to signal without asking; nothing was signalled\n");
      assertThat(victims.get(0).stillSleeping()).isTrue();

      Ran confirmed = withoutTerminal("-t", "-a", app, "--yes");

      assertThat(confirmed.status()).as(confirmed.err()).isZero();
      assertThat(victims.get(0).failure().getSQLState()).isEqualTo("57P01");
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void thePasswordIsAskedOnTheTerminalWithoutEchoWhilePidsComeThroughAPipe() throws Exception {
    String role = passwordRole();
    try (Victim victim = Victim.sleeping(server, role)) {
      String command =
          "printf '%s\\n' "
              + victim.pid()
              + " | "
              + pgkillAs(role, "-c", "-")
              + " > "
              + quote(output)
              + "; echo \"status=$?\"; stty -a";
      try (Pty pty = new Pty(command)) {
        pty.awaitScreen("Password for user " + role + ": ");
        pty.type(PostgresServer.PASSWORD + "\n");

        pty.exitStatus();
        assertThat(pty.screen()).contains("status=0").doesNotContain(PostgresServer.PASSWORD);
        assertThat(echoIsOn(pty.screen())).as(pty.screen()).isTrue();
      }
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(Files.readString(output)).contains("signalled (pg_cancel_backend returned true)");
    }
  }

  @Test
  void ctrlCAtThePasswordPromptLeavesTheTerminalEchoing() throws Exception {
    String role = passwordRole();
    // The shell traps SIGINT (not ignores it: java would inherit that) so that it goes on to stty.
    String command =
        "trap 'echo interrupted' INT; " + pgkillAs(role, "-W", "-c", "4242") + "; stty -a";
    try (Pty pty = new Pty(command)) {
      pty.awaitScreen("Password for user " + role + ": ");
      pty.type("\u0003");

      pty.exitStatus();
      assertThat(pty.screen()).contains("interrupted");
      assertThat(echoIsOn(pty.screen())).as(pty.screen()).isTrue();
    }
  }

  @Test
  void theTableFitsTheTerminalsWidthCountingWideCharactersAsTwoColumns() throws Exception {
    String app = unique("wide");
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      victim.run("begin").run("select '" + "报表".repeat(40) + "' as report");
      // COLUMNS is not exported (bash sets it but does not export it): the terminal says 120.
      try (Pty pty = new Pty("stty cols 120; " + pgkill("-l", "-a", app) + " < /dev/null")) {
        assertThat(pty.exitStatus()).as(pty.screen()).isZero();
        String row =
            pty.screen()
                .lines()
                .filter(line -> line.startsWith(victim.pid() + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(pty.screen()));
        assertThat(row).contains("报表").endsWith("...");
        assertThat(columns(row)).as(row).isLessThanOrEqualTo(120).isGreaterThan(114);
      }
    }
  }

  @Test
  void colourFollowsStandardOutputWhateverStandardInputIs() throws Exception {
    try (Victim toTerminal = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim toFile = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      String command =
          pgkill("-c", Integer.toString(toTerminal.pid()))
              + " < /dev/null; "
              + pgkill("-c", Integer.toString(toFile.pid()))
              + " > "
              + quote(output);
      try (Pty pty = new Pty(command)) {
        assertThat(pty.exitStatus()).as(pty.screen()).isZero();
        assertThat(pty.screen()).contains("\033[32msignalled (pg_cancel_backend returned true)");
      }
      assertThat(Files.readString(output))
          .contains("signalled (pg_cancel_backend returned true)")
          .doesNotContain("\033");
    }
  }

  /** A role that must give its password over TCP. */
  private String passwordRole() throws Exception {
    String role = server.createRole("typed", "");
    server.prependHba(
        "host all " + role + " 127.0.0.1/32 scram-sha-256",
        "host all " + role + " ::1/128 scram-sha-256");
    return role;
  }

  /** Whether {@code stty -a} on this screen shows echo on. */
  private static boolean echoIsOn(String screen) {
    return screen.lines().anyMatch(line -> (" " + line + " ").contains(" echo "));
  }

  /** Display columns, with the CJK ideographs this test uses counted as two. */
  private static int columns(String line) {
    return line.codePoints().map(c -> c >= 0x4E00 && c <= 0x9FFF ? 2 : 1).sum();
  }

  private String pgkill(String... args) {
    return pgkillAs(PostgresServer.SUPERUSER, args);
  }

  private String pgkillAs(String role, String... args) {
    List<String> command =
        PgkillProcess.jar("-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", role);
    command.addAll(List.of(args));
    return command.stream().map(TerminalIT::quote).collect(Collectors.joining(" "));
  }

  private static String quote(Object word) {
    return "'" + word.toString().replace("'", "'\\''") + "'";
  }

  record Ran(int status, String out, String err) {}

  /** pgkill in a session of its own, with no controlling terminal, as under cron. */
  private Ran withoutTerminal(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("setsid", "-w"));
    command.addAll(
        PgkillProcess.jar(
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(server.port()),
            "-U",
            PostgresServer.SUPERUSER));
    command.addAll(List.of(args));
    ProcessBuilder builder = PgkillProcess.builder(command).redirectInput(new File("/dev/null"));
    PgkillProcess.Exited exited = PgkillProcess.run(builder, "");
    return new Ran(exited.status(), exited.out(), exited.err());
  }

  private List<Victim> sleepers(String application, int count) throws Exception {
    return Victim.sleepers(server, application, count);
  }
}
