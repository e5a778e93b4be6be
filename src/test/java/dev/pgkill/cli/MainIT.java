package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PgkillProcess;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Victim;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pgkill as a user runs it: a real process, its exit status, standard input, output and error. */
@ExtendWith(PostgresExtension.class)
class MainIT {
  private final PostgresServer server;

  MainIT(PostgresServer server) {
    this.server = server;
  }

  record Process(int status, String out, String err) {}

  private static Process run(String stdin, List<String> command) throws Exception {
    return run(java.util.Map.of(), stdin, command);
  }

  private static Process run(java.util.Map<String, String> env, String stdin, List<String> command)
      throws Exception {
    return run(env, stdin, ProcessBuilder.Redirect.PIPE, command);
  }

  private static Process run(
      java.util.Map<String, String> env,
      String stdin,
      ProcessBuilder.Redirect stdout,
      List<String> command)
      throws Exception {
    ProcessBuilder builder = PgkillProcess.builder(command);
    builder.redirectOutput(stdout);
    builder.environment().putAll(env);
    PgkillProcess.Exited exited = PgkillProcess.run(builder, stdin);
    return new Process(exited.status(), exited.out(), exited.err());
  }

  private static Process jar(String stdin, String... args) throws Exception {
    return jar(java.util.Map.of(), stdin, args);
  }

  private static Process jar(java.util.Map<String, String> env, String stdin, String... args)
      throws Exception {
    return run(env, stdin, command(args));
  }

  private static List<String> command(String... args) {
    return PgkillProcess.jar(args);
  }

  private static Process launcher(String stdin, String... args) throws Exception {
    return run(stdin, PgkillProcess.launcher(args));
  }

  /** As libpq (14 and later): ~/.pgpass is in $HOME, whatever the password database says. */
  @Test
  void passwordFileIsFoundInHomeAsLibpqFindsIt(@org.junit.jupiter.api.io.TempDir Path home)
      throws Exception {
    String role = server.createRole("homed", "");
    server.prependHba("host all " + role + " all scram-sha-256");
    java.nio.file.Path pgpass =
        java.nio.file.Files.writeString(
            home.resolve(".pgpass"),
            "localhost:"
                + server.port()
                + ":postgres:"
                + role
                + ":"
                + PostgresServer.PASSWORD
                + "\n");
    java.nio.file.Files.setPosixFilePermissions(
        pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String[] args = server.argsAs(role, "-w", "--cancel", Integer.toString(server.unusedPid()));

    Process withHome = jar(java.util.Map.of("HOME", home.toString()), "", args);
    Process emptyHome = jar(java.util.Map.of("HOME", ""), "", args);

    assertThat(withHome.status()).as("connected: nothing matched\n" + withHome.err()).isEqualTo(1);
    assertThat(emptyHome.status()).as("an empty HOME is unset: the account's home").isEqualTo(3);
    assertThat(emptyHome.err()).contains("the server asked for a password and none was given");
  }

  @Test
  void launcherPrintsHelpWithTheExitStatuses() throws Exception {
    Process help = launcher("", "--help");

    assertThat(help.status()).isZero();
    assertThat(help.out()).startsWith("Usage: pgkill").contains("Exit status:");
  }

  @Test
  void launcherCancelsPidsPipedToStandardInput() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim bystander = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Process run = launcher(victim.pid() + "\n", server.args("--cancel", "-"));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(bystander.stillSleeping()).isTrue();
      assertThat(run.out()).contains("signalled (pg_cancel_backend returned true)");
    }
  }

  @Test
  void usageErrorExitsTwoWithOneLineAndNoStackTrace() throws Exception {
    Process run = jar("", "--terminate", "12x");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("pgkill: error: invalid PID \"12x\": not a whole number (see pgkill --help)\n");
  }

  @Test
  void nothingSignalledExitsOne() throws Exception {
    Process run = jar("", server.args("--cancel", Integer.toString(server.unusedPid())));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void connectionFailureExitsThreeInOneLineAndVerboseAddsTheStackTrace() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String[] args = {
      "-h", "127.0.0.1", "-p", Integer.toString(closedPort), "-U", "alice", "-c", "42"
    };

    Process quiet = jar("", args);
    assertThat(quiet.status()).isEqualTo(3);
    assertThat(quiet.err().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "pgkill: error: could not connect to host=127.0.0.1 port="
                + closedPort
                + " user=alice dbname=postgres: Connection refused");

    // -v: the causes, one line each; the stack trace is for -vv.
    Process verbose = jar("", concat("-v", args));
    assertThat(verbose.status()).isEqualTo(3);
    assertThat(verbose.out()).isEmpty();
    assertThat(verbose.err())
        .contains("pgkill INFO  connecting to host=127.0.0.1")
        .contains("\n  caused by java.net.ConnectException: Connection refused\n")
        .doesNotContain("\tat ");

    Process veryVerbose = jar("", concat("-vv", args));
    assertThat(veryVerbose.status()).isEqualTo(3);
    assertThat(veryVerbose.err()).contains("\tat org.postgresql");
  }

  @Test
  void anIdListThatCannotBeWrittenFailsWithExitThreeAndOneLine() throws Exception {
    String role = server.createRole("listed", "");
    try (Victim victim = Victim.sleeping(server, role)) {
      String[] args = server.args("--list", "-o", "id", "-u", role);

      Process full =
          run(
              java.util.Map.of(),
              "",
              ProcessBuilder.Redirect.to(new java.io.File("/dev/full")),
              command(args));

      assertThat(full.status()).as(full.err()).isEqualTo(3);
      assertThat(full.err().lines())
          .singleElement()
          .asString()
          .isEqualTo(
              "pgkill: error: could not write to standard output: No space left on device;"
                  + " what was printed is incomplete");

      Process written = jar("", args);
      assertThat(written.status()).as(written.err()).isZero();
      assertThat(written.out()).startsWith(victim.pid() + "@");
    }
  }

  @Test
  void veryVerboseLogsTheSqlAndItsParametersOnStandardErrorOnly() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Process run = jar("", server.args("-vv", "-q", "--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).isZero();
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .contains("pgkill DEBUG select a.pid, a.backend_start", "with [[" + victim.pid() + "]]")
          .contains("pg_cancel_backend(a.pid)", "pid=" + victim.pid())
          .contains("pgkill INFO  cancel " + victim.pid() + ": SIGNALLED");
    }
  }

  @Test
  void passwordsNeverAppearInOutputLogsOrErrorsEvenAtTheMostVerbose(
      @org.junit.jupiter.api.io.TempDir Path home) throws Exception {
    String role = server.createRole("secretive", "");
    server.prependHba(
        "host all " + role + " 127.0.0.1/32 scram-sha-256",
        "host all " + role + " ::1/128 scram-sha-256");
    String password = PostgresServer.PASSWORD;
    String port = Integer.toString(server.port());
    String uri = "postgresql://" + role + ":" + password + "@127.0.0.1:" + port + "/postgres";
    java.nio.file.Path pgpass = home.resolve("pgpass");
    java.nio.file.Files.writeString(
        pgpass, "127.0.0.1:" + port + ":*:" + role + ":" + password + "\n");
    java.nio.file.Files.setPosixFilePermissions(
        pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    List<Process> runs =
        List.of(
            jar(
                java.util.Map.of("PGPASSWORD", password),
                "",
                "-vv",
                "-h",
                "127.0.0.1",
                "-p",
                port,
                "-U",
                role,
                "--list",
                "-u",
                role),
            jar(
                java.util.Map.of("PGPASSFILE", pgpass.toString()),
                "",
                "-vv",
                "-h",
                "127.0.0.1",
                "-p",
                port,
                "-U",
                role,
                "--list",
                "-u",
                role),
            jar("", "-vv", "-d", uri, "--list", "-u", role),
            jar("", "-vv", "-d", uri.replace(password, "Wrong-" + password), "--list", "-u", role),
            jar(
                java.util.Map.of("PGPASSWORD", "Wrong-" + password),
                "",
                "-vv",
                "-h",
                "127.0.0.1",
                "-p",
                port,
                "-U",
                role,
                "-c",
                "42"),
            jar("", "-vv", "-d", uri + "?sslmode=bogus", "--list", "-u", role));

    assertThat(runs).extracting(Process::status).containsExactly(1, 1, 1, 3, 3, 2);
    for (Process run : runs) {
      assertThat(run.out() + run.err())
          .as("a run's output")
          .contains("pgkill")
          .doesNotContain(password);
    }
    assertThat(runs.get(0).err()).contains("pgkill DEBUG", "pgkill INFO  connecting to");
  }

  @Test
  void verboseSaysWhichServerVersionPathTheWaitTook() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Process run =
          jar("", server.args("-v", "--terminate", "--wait=2s", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(run.err())
          .contains("pgkill INFO  server: PostgreSQL " + server.major() + ".")
          .contains(
              server.major() >= 14
                  ? "pg_terminate_backend(pid, timeout), PostgreSQL " + server.major()
                  : "polling pg_stat_activity, PostgreSQL " + server.major());
    }
  }

  @Test
  void sigtermWhileWaitingPrintsWhatWasSignalledAndExits143() throws Exception {
    Process stopped = stoppedWhileWaiting("TERM");

    assertThat(stopped.status()).as(stopped.err()).isEqualTo(143);
  }

  @Test
  void sigintWhileWaitingPrintsWhatWasSignalledAndExits130() throws Exception {
    Process stopped = stoppedWhileWaiting("INT");

    assertThat(stopped.status()).as(stopped.err()).isEqualTo(130);
  }

  /**
   * Runs {@code pgkill -c --wait=60s} on a session idle in a transaction, which a cancel never
   * ends, sends the process {@code signal} once pgkill is polling, and checks what it printed.
   */
  private Process stoppedWhileWaiting(String signal) throws Exception {
    String role = server.createRole("stopped", "");
    try (Victim idle = Victim.connect(server, role)) {
      idle.run("begin").run("select 1");
      List<String> command =
          new ArrayList<>(
              List.of(
                  // A shell without job control starts background jobs with SIGINT ignored, and the
                  // JVM
                  // then leaves it ignored: give pgkill the default disposition a terminal would.
                  "env", "--default-signal=INT,TERM"));
      command.addAll(
          PgkillProcess.jar(
              server.argsAs(role, "--cancel", "--wait=60s", Integer.toString(idle.pid()))));
      PgkillProcess.Exited exited;
      try (PgkillProcess process = PgkillProcess.start(PgkillProcess.builder(command), "")) {
        dev.pgkill.testing.PgkillSession.awaitWaiting(server, role);
        java.lang.Process kill =
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor()).isZero();
        exited = process.awaitExit(30, TimeUnit.SECONDS);
      }
      Process stopped = new Process(exited.status(), exited.out(), exited.err());
      String line =
          stopped
              .out()
              .lines()
              .filter(l -> l.startsWith(idle.pid() + " "))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no line for " + idle.pid() + " in:\n" + stopped.out() + stopped.err()));
      assertThat(line)
          .contains(
              role,
              "idle in transaction",
              "signalled, then pgkill was stopped after waiting",
              ": whether it ended is unknown");
      assertThat(stopped.out()).endsWith("cancel: 1 of 1 target signalled; 0 ended, 1 did not\n");
      assertThat(idle.usable()).isTrue();
      return stopped;
    }
  }

  @Test
  void verboseNamesTheServerReachedNotEveryHostTried() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String port = Integer.toString(server.port());
    String reached =
        " (PostgreSQL "
            + server.versionNum() / 10000
            + "."
            + server.versionNum() % 10000
            + ", primary)";

    Process failover =
        jar(
            "",
            "-v",
            "-h",
            "127.0.0.1,127.0.0.1",
            "-p",
            closedPort + "," + port,
            "-U",
            PostgresServer.SUPERUSER,
            "-l",
            "-a",
            "no-such-application");
    assertThat(failover.status()).as(failover.err()).isEqualTo(1);
    assertThat(failover.err())
        .contains("pgkill INFO  connected to 127.0.0.1:" + port + reached + "\n");

    Process socket =
        jar(
            "",
            "-v",
            "-h",
            server.socketDirectory().toString(),
            "-p",
            port,
            "-U",
            PostgresServer.SUPERUSER,
            "-l",
            "-a",
            "no-such-application");
    assertThat(socket.status()).as(socket.err()).isEqualTo(1);
    assertThat(socket.err())
        .contains(
            "pgkill INFO  connected to "
                + server.socketDirectory().resolve(".s.PGSQL." + port)
                + reached
                + "\n");
  }

  private static String[] concat(String first, String[] rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }
}
