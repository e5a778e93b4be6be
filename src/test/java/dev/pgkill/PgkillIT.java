package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.report.TextReport;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.testing.CuttingProxy;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.ServerMessages;
import dev.pgkill.testing.Victim;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.helpers.NOPLogger;

/** The whole path against a real server: what happened to the targets, and what pgkill said. */
@ExtendWith(PostgresExtension.class)
class PgkillIT {
  private final PostgresServer server;

  PgkillIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void cancelledQueryFailsWith57014AndItsSessionStaysUsable() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim bystander = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(victim.usable()).isTrue();
      assertThat(bystander.stillSleeping()).isTrue();
      assertThat(run.lineOf(victim.pid()))
          .contains("postgres", "pgkill-test", "127.0.0.1", "active", "select pg_sleep(60)")
          .contains("signalled (pg_cancel_backend returned true)");
      assertThat(run.out()).endsWith("cancel: 1 of 1 target signalled\n");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void terminatedSessionIsGoneFromPgStatActivity() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim bystander = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--terminate", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
      victim.awaitGone();
      assertThat(victim.usable()).isFalse();
      assertThat(bystander.stillSleeping()).isTrue();
      assertThat(run.lineOf(victim.pid()))
          .contains("signalled (pg_terminate_backend returned true)");
    }
  }

  @Test
  void unknownPidIsReportedAndNothingIsSignalled() throws Exception {
    int unused = server.unusedPid();
    Run run = Run.of(server.args("--terminate", Integer.toString(unused)));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.lineOf(unused))
        .contains("not signalled: not a PostgreSQL backend of this server");
    assertThat(run.out()).endsWith("terminate: 0 of 1 target signalled, 1 not\n");
  }

  @Test
  void aProcessThatIsNotPostgresIsNeverSignalled() {
    int testJvm = (int) ProcessHandle.current().pid();
    Run run = Run.of(server.args("--terminate", Integer.toString(testJvm)));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.lineOf(testJvm)).contains("not a PostgreSQL backend of this server");
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  void auxiliaryProcessIsProtected() throws Exception {
    int checkpointer = server.pidOf("checkpointer");
    Run run = Run.of(server.args("--terminate", Integer.toString(checkpointer)));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.lineOf(checkpointer))
        .contains("checkpointer", "not signalled: a checkpointer, not a client backend (--backend-type chooses others)");
    assertThat(server.hasBackend(checkpointer)).isTrue();
  }

  @Test
  void pidWhoseBackendStartNoLongerMatchesIsNotSignalled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      String earlier = Target.token(victim.pid(), victim.backendStart().minusSeconds(90));
      Run run = Run.of(server.args("--terminate", earlier));

      assertThat(run.status()).isEqualTo(1);
      assertThat(victim.stillSleeping()).isTrue();
      assertThat(run.lineOf(victim.pid()))
          .contains(
              "not signalled: PID " + victim.pid() + " now belongs to a backend started "
                  + Target.time(victim.backendStart()));
    }
  }

  @Test
  void pidWithItsOwnBackendStartIsSignalled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--cancel", Target.token(victim.pid(), victim.backendStart())));

      assertThat(run.status()).as(run.out()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
    }
  }

  @Test
  void ownSessionIsNeverSignalled() throws Exception {
    try (Connection own = server.connect(PostgresServer.SUPERUSER)) {
      int ownPid = backendPid(own);
      StringWriter out = new StringWriter();
      Invocation invocation =
          Invocation.signal(
              Action.TERMINATE, Selection.of(List.of(Target.of(ownPid))), ConnectionRequest.none());

      ExitStatus status =
          new Pgkill(null, Confirmation.ASSUMED, NOPLogger.NOP_LOGGER)
              .run(own, invocation, new TextReport(new PrintWriter(out), new PrintWriter(out), false, 0));

      assertThat(status).isEqualTo(ExitStatus.NOTHING_DONE);
      assertThat(out.toString()).contains("not signalled: pgkill's own session");
      assertThat(backendPid(own)).isEqualTo(ownPid);
    }
  }

  @Test
  void plainRoleCancellingSuperusersQueryIsDeniedWithTheServersWords() throws Exception {
    // pg_read_all_stats lets the role see, and so identify, the superuser's session; it does not
    // let it signal it.
    String watcher = server.createRole("watcher", "in role pg_read_all_stats");
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.argsAs(watcher, "--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(1);
      assertThat(victim.stillSleeping()).isTrue();
      String expected =
          server.major() >= 16
              ? "not signalled: ERROR 42501: permission denied to cancel query DETAIL: Only roles"
                  + " with the SUPERUSER attribute may cancel queries of roles with the SUPERUSER"
                  + " attribute."
              : "not signalled: ERROR 42501: must be a superuser to cancel superuser query";
      assertThat(run.lineOf(victim.pid())).contains(expected);
    }
  }

  @Test
  void sessionWhoseBackendStartIsHiddenIsNotSignalled() throws Exception {
    String plain = server.createRole("plain", "");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      server.execute("grant pg_signal_backend to " + plain);
      Run run = Run.of(server.argsAs(plain, "--terminate", Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(1);
      assertThat(victim.stillSleeping()).isTrue();
      assertThat(run.lineOf(victim.pid()))
          .contains("cannot be identified safely (grant pg_read_all_stats or pg_monitor, or use --unverified)");
    }
  }

  @Test
  void unverifiedOptInSignalsAHiddenSessionCheckingUserAndDatabase() throws Exception {
    String signaller = server.createRole("signaller", "in role pg_signal_backend");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      Run run = Run.of(server.argsAs(signaller, "--cancel", "--unverified", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(run.lineOf(victim.pid())).contains(other, "signalled (pg_cancel_backend returned true)");
    }
  }

  @Test
  void filtersOnHiddenColumnsNeverMatchAnotherRolesSession() throws Exception {
    String plain = server.createRole("plain", "in role pg_signal_backend");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      Run byState = Run.of(server.argsAs(plain, "--list", "-u", other, "--state", "active"));
      Run byQuery = Run.of(server.argsAs(plain, "--list", "-u", other, "--query", "privilege"));
      Run byUser = Run.of(server.argsAs(plain, "--terminate", "-u", other));

      assertThat(byState.status()).isEqualTo(1);
      assertThat(byQuery.status()).isEqualTo(1);
      assertThat(byUser.status()).isEqualTo(1);
      assertThat(byUser.lineOf(victim.pid())).contains("cannot be identified safely");
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void connectionLostMidRunReportsWhatWasSignalledAndWhatWasNotAttempted() throws Exception {
    // Not a superuser: one statement per target, so the cut falls between two targets.
    String owner = server.createRole("owner", "");
    String dba = server.createRole("dba", "in role pg_signal_backend, pg_read_all_stats");
    try (Victim first = Victim.sleeping(server, owner);
        Victim second = Victim.sleeping(server, owner);
        Victim third = Victim.sleeping(server, owner);
        CuttingProxy proxy = new CuttingProxy(server.port(), "pg_cancel_backend(", 2)) {
      Run run = throughProxy(proxy, dba, first, second, third);

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(3);
      assertThat(first.failure().getSQLState()).isEqualTo("57014");
      assertThat(second.stillSleeping()).as("the cut statement never reached the server").isTrue();
      assertThat(third.stillSleeping()).isTrue();
      assertThat(run.lineOf(first.pid())).contains("signalled (pg_cancel_backend returned true)");
      assertThat(run.lineOf(second.pid()))
          .contains("unknown: the connection was lost while signalling; the signal may have been sent");
      assertThat(run.lineOf(third.pid()))
          .contains("not attempted: the connection was lost before its turn");
    }
  }

  @Test
  void connectionLostDuringTheBulkStatementLeavesEveryTargetUnknown() throws Exception {
    try (Victim first = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim second = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim third = Victim.sleeping(server, PostgresServer.SUPERUSER);
        CuttingProxy proxy = new CuttingProxy(server.port(), "pg_cancel_backend(", 1)) {
      Run run = throughProxy(proxy, PostgresServer.SUPERUSER, first, second, third);

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(3);
      for (Victim victim : List.of(first, second, third)) {
        assertThat(victim.stillSleeping()).isTrue();
        assertThat(run.lineOf(victim.pid())).contains("unknown: the connection was lost while signalling");
      }
    }
  }

  private static Run throughProxy(CuttingProxy proxy, String role, Victim... victims) {
    List<String> args = new java.util.ArrayList<>(List.of(
        "-h", "127.0.0.1", "-p", Integer.toString(proxy.port()), "-U", role, "--cancel"));
    for (Victim victim : victims) {
      args.add(Integer.toString(victim.pid()));
    }
    return Run.with(java.util.Map.of("PGSSLMODE", "disable"), "", dev.pgkill.cli.Terminal.NONE,
        args.toArray(String[]::new));
  }

  @Test
  void connectionLostWhileWaitingStillReportsWhatWasSignalled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        CuttingProxy proxy = new CuttingProxy(server.port(), "set_config('statement_timeout'", 1)) {
      Run run = Run.with(java.util.Map.of("PGSSLMODE", "disable"), "", dev.pgkill.cli.Terminal.NONE,
          "-h", "127.0.0.1", "-p", Integer.toString(proxy.port()), "-U", PostgresServer.SUPERUSER,
          "--cancel", "--wait=2s", Integer.toString(victim.pid()));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(3);
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(run.lineOf(victim.pid()))
          .contains("signalled, then the connection was lost: whether it ended is unknown");
    }
  }

  @Test
  void roleSettingsCannotSilenceTheServersWarnings() throws Exception {
    // A role that hides WARNINGs from its sessions; pgkill's own session must still get them.
    String quiet = server.createRole("quiet", "superuser");
    server.execute("alter role " + quiet + " set client_min_messages = error");
    server.execute("alter role " + quiet + " set statement_timeout = 1");
    int checkpointer = server.pidOf("checkpointer");

    Run run = Run.of(server.argsAs(quiet, "--terminate", "--backend-type", "checkpointer",
        Integer.toString(checkpointer)));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.lineOf(checkpointer))
        .contains("pg_terminate_backend returned false, WARNING 01000: PID " + checkpointer
            + " is not a PostgreSQL " + (server.major() >= 15 ? "backend" : "server") + " process");
  }

  @Test
  void listTakenBeforeARestartSignalsNothingAfterIt() throws Exception {
    try (PostgresServer restarted = PostgresServer.start(java.util.Map.of(), true)) {
      String ids;
      try (Victim before = Victim.sleeping(restarted, PostgresServer.SUPERUSER)) {
        ids = Run.of(restarted.args("--list", "-o", "id", "-a", "pgkill-test")).out();
        assertThat(ids).contains(before.pid() + "@");
      }
      try (PostgresServer again = restarted.restart();
          Victim after = Victim.sleeping(again, PostgresServer.SUPERUSER)) {
        Run replay = Run.withStdin(ids, again.args("--terminate", "-"));

        assertThat(replay.status()).as(replay.out()).isEqualTo(1);
        assertThat(replay.out()).doesNotContain("signalled (");
        assertThat(after.stillSleeping()).isTrue();
      }
    }
  }

  @Test
  void oneSignalledAndOneNotIsPartial() throws Exception {
    int unused = server.unusedPid();
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run =
          Run.of(server.args("--cancel", Integer.toString(victim.pid()), Integer.toString(unused)));

      assertThat(run.status()).isEqualTo(4);
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(run.out()).endsWith("cancel: 1 of 2 targets signalled, 1 not\n");
    }
  }

  @Test
  void targetsReadFromStandardInputWithCommentsAndIdentityTokens() throws Exception {
    try (Victim first = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim second = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim untouched = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      String stdin =
          "# from an earlier --list\n"
              + first.pid() + "   # the report job\n\n"
              + "\t" + Target.token(second.pid(), second.backendStart()) + "\n";
      Run run = Run.withStdin(stdin, server.args("--cancel", "-"));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(first.failure().getSQLState()).isEqualTo("57014");
      assertThat(second.failure().getSQLState()).isEqualTo("57014");
      assertThat(untouched.stillSleeping()).isTrue();
    }
  }

  /**
   * A script piping a huge list: 100,000 PIDs on standard input are looked up with one statement
   * ({@code where a.pid = any (?)} with one int4 array: see SessionFinder), not one per PID, and
   * each gets its own result. The PIDs are above Linux's largest pid_max (2^22), so no process can
   * have them, let alone a backend of this server.
   */
  @Test
  void hundredThousandPidsOnStandardInputGetOneResultEach() {
    int count = 100_000;
    StringBuilder stdin = new StringBuilder();
    for (int pid = 5_000_000; pid < 5_000_000 + count; pid++) {
      stdin.append(pid).append('\n');
    }

    Run run =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(60),
            () -> Run.withStdin(stdin.toString(), server.args("--cancel", "-o", "json", "-")));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines().filter(line -> line.startsWith("{\"type\":\"target\"")))
        .hasSize(count)
        .allMatch(line -> line.contains("\"signalled\":false"));
  }

  @Test
  void usageErrorSignalsNothingEvenWithAValidPid() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      for (String bad : List.of("12x", "-5", "0", "2147483648")) {
        Run run = Run.of(server.args("--terminate", Integer.toString(victim.pid()), bad));

        assertThat(run.status()).as(bad).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).hasSize(1).first().asString().contains("\"" + bad + "\"");
      }
      Run badStdin = Run.withStdin(victim.pid() + "\nbogus\n", server.args("--terminate", "-"));
      assertThat(badStdin.status()).isEqualTo(2);
      assertThat(badStdin.err()).contains("\"bogus\"", "standard input line 2");
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void quietPrintsNothingButStillSignals() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("-q", "--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).isZero();
      assertThat(run.out()).isEmpty();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
    }
  }

  @Test
  void unreachableServerIsFatalInOneLineNamingWhatWasTried() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run run = Run.of("-h", "localhost", "-p", Integer.toString(closedPort), "-U", "alice", "-c", "42");

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port=" + closedPort
                + " user=alice dbname=postgres: Connection refused\n");
  }

  @Test
  void unknownRoleIsFatalWithTheServersReason() {
    Run run = Run.of(server.argsAs("no_such_role", "-c", "42"));

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err())
        .startsWith("pgkill: error: could not connect to host=localhost port=" + server.port())
        .contains("role \"no_such_role\" does not exist")
        .doesNotContain("\tat ");
    assertThat(run.err().lines()).hasSize(1);
  }

  private List<Victim> sleepers(String application, int count) throws Exception {
    List<Victim> victims = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", application);
      victim.sleep();
      victims.add(victim);
    }
    return victims;
  }

  private static void closeAll(List<Victim> victims) throws SQLException {
    for (Victim victim : victims) {
      victim.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + Long.toHexString(System.nanoTime());
  }

  @Test
  void listShowsTheMatchingSessionsAndSignalsNothing() throws Exception {
    String app = unique("list");
    List<Victim> victims = sleepers(app, 2);
    try {
      Run run = Run.of(server.args("--list", "-a", app));

      assertThat(run.status()).as(run.err()).isZero();
      for (Victim victim : victims) {
        assertThat(run.lineOf(victim.pid())).contains(app, "active", "select pg_sleep(60)");
        assertThat(victim.stillSleeping()).isTrue();
      }
      assertThat(run.out()).endsWith("2 sessions\n");
      assertThat(Run.of(server.args("--list", "-a", app + "-nobody")).status()).isEqualTo(1);
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void dryRunShowsWhatWouldBeSignalledAndSignalsNothing() throws Exception {
    String app = unique("dry");
    List<Victim> victims = sleepers(app, 2);
    try {
      Run run = Run.of(server.args("--terminate", "--dry-run", "-a", app));

      assertThat(run.status()).isZero();
      assertThat(run.lineOf(victims.get(0).pid())).contains("would terminate (dry run)");
      assertThat(run.out()).endsWith("dry run: would terminate 2 of 2 targets; nothing was signalled\n");
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void moreMatchesThanMaxRefusesTheWholeRun() throws Exception {
    String app = unique("max");
    List<Victim> victims = sleepers(app, 3);
    try {
      Run run = Run.of(server.args("--terminate", "-a", app, "--max", "2"));

      assertThat(run.status()).isEqualTo(5);
      assertThat(run.err())
          .isEqualTo("pgkill: error: refusing to terminate 3 sessions: more than --max 2;"
              + " nothing was signalled\n");
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void personAtTheTerminalIsAskedAndOnlyYesSignals() throws Exception {
    String app = unique("ask");
    List<Victim> victims = sleepers(app, 2);
    try {
      for (String answer : new String[] {"n", null, "maybe"}) {
        StringBuilder questions = new StringBuilder();
        java.util.Deque<String> answers = new java.util.ArrayDeque<>();
        if (answer != null) {
          answers.add(answer);
        }
        Run declined = Run.with(java.util.Map.of(), "", Run.person(answers, questions), server.args("-c", "-a", app));

        assertThat(declined.status()).as("answer %s", answer).isEqualTo(5);
        assertThat(questions.toString())
            .isEqualTo("Cancel 2 sessions on localhost:" + server.port() + "? [y/N] \n");
        assertThat(declined.out()).contains(Integer.toString(victims.get(0).pid()), app);
        assertThat(declined.err()).contains("not confirmed: nothing was signalled");
      }
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }

      Run confirmed =
          Run.with(java.util.Map.of(), "", Run.person(new java.util.ArrayDeque<>(List.of("y")), new StringBuilder()),
              server.args("-c", "-a", app));
      assertThat(confirmed.status()).isZero();
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void aSessionThatStopsMatchingWhileThePersonAnswersIsLeftAlone() throws Exception {
    String app = unique("changed");
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      victim.run("begin").run("select 1");
      dev.pgkill.cli.Terminal slowPerson =
          new dev.pgkill.testing.ScriptedTerminal(true, new java.util.ArrayDeque<>(List.of("y")),
              dev.pgkill.connect.PasswordSource.NOBODY, new StringBuilder());
      // While the question is open, the application commits: the session no longer matches.
      dev.pgkill.cli.Terminal committing = new dev.pgkill.cli.Terminal() {
        @Override public boolean interactive() { return true; }
        @Override public int width() { return 0; }
        @Override public java.util.Optional<char[]> readPassword(String prompt) { return java.util.Optional.empty(); }
        @Override public java.util.Optional<String> readLine(String prompt) {
          victim.run("commit");
          return slowPerson.readLine(prompt);
        }
      };

      Run run = Run.with(java.util.Map.of(), "", committing,
          server.args("--terminate", "-s", "idle-in-transaction", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
      // The first line is the table shown with the question; the last is the result.
      assertThat(run.out().lines().filter(l -> l.startsWith(victim.pid() + " ")).reduce((a, b) -> b))
          .hasValueSatisfying(l -> assertThat(l).contains("not signalled: does not match the filters"));
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void namedPidsAreNeverAskedAboutAndYesSkipsTheQuestion() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      StringBuilder questions = new StringBuilder();
      Run run = Run.with(java.util.Map.of(), "", Run.person(new java.util.ArrayDeque<>(), questions),
          server.args("-c", Integer.toString(victim.pid())));

      assertThat(run.status()).isZero();
      assertThat(questions).isEmpty();
    }
    String app = unique("yes");
    List<Victim> victims = sleepers(app, 1);
    try {
      StringBuilder questions = new StringBuilder();
      Run run = Run.with(java.util.Map.of(), "", Run.person(new java.util.ArrayDeque<>(), questions),
          server.args("-c", "-y", "-a", app));

      assertThat(run.status()).isZero();
      assertThat(questions).isEmpty();
      assertThat(victims.get(0).failure().getSQLState()).isEqualTo("57014");
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void namedPidThatFailsTheFiltersIsLeftAlone() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("-t", Integer.toString(victim.pid()), "--state", "idle"));

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.lineOf(victim.pid())).contains("not signalled: does not match the filters");
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void listedIdsReplayThroughStandardInputWithTheIdentityCheck() throws Exception {
    String app = unique("replay");
    List<Victim> victims = sleepers(app, 2);
    try {
      Run list = Run.of(server.args("--list", "-o", "id", "-a", app));
      assertThat(list.out().lines())
          .containsExactlyInAnyOrder(
              Target.token(victims.get(0).pid(), victims.get(0).backendStart()),
              Target.token(victims.get(1).pid(), victims.get(1).backendStart()));

      Run replay = Run.withStdin(list.out(), server.args("--terminate", "-o", "pid", "-"));

      assertThat(replay.status()).isZero();
      assertThat(replay.out().lines())
          .containsExactlyInAnyOrder(
              Integer.toString(victims.get(0).pid()), Integer.toString(victims.get(1).pid()));
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void jsonIsOneParsableObjectPerTargetAndASummary() throws Exception {
    int unused = server.unusedPid();
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("-c", "-o", "json", Integer.toString(victim.pid()), Integer.toString(unused)));

      assertThat(run.status()).isEqualTo(4);
      List<java.util.Map<String, Object>> lines = run.out().lines().map(PgkillIT::json).toList();
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0))
          .containsEntry("type", "target")
          .containsEntry("pid", victim.pid())
          .containsEntry("backend_start", Target.time(victim.backendStart()))
          .containsEntry("user", "postgres")
          .containsEntry("state", "active")
          .containsEntry("action", "cancel")
          .containsEntry("signalled", true)
          .containsEntry("outcome", "signalled")
          .containsKeys("database", "application", "client", "backend_type", "query_start",
              "xact_start", "state_change", "query", "sqlstate", "message", "detail");
      assertThat(lines.get(1)).containsEntry("pid", unused).containsEntry("outcome", "not_found")
          .containsEntry("signalled", false).containsEntry("user", null);
      assertThat(lines.get(2)).containsEntry("type", "summary").containsEntry("targets", 2)
          .containsEntry("signalled", 1).containsEntry("not_signalled", 1);
    }
  }

  @Test
  void hostileFilterValuesMatchLiterallyAndHarmNothing() throws Exception {
    server.execute("create table if not exists t (x int)");
    for (String hostile : List.of("x'; drop table t; --", "%", "_", "*", "é\u0000ü", "z".repeat(10_000))) {
      Run run = Run.of(server.args("--list", "-u", hostile, "--database", hostile, "--exclude-application", hostile));

      assertThat(run.status()).as(run.err()).isIn(1, 2);
    }
    assertThat(server.queryString(PostgresServer.SUPERUSER, "select count(*) from t")).isEqualTo("0");
  }

  @Test
  void everyValueReachesTheServerAsABindParameterNeverAsSql() throws Exception {
    String marker = "x'; select 'injected"; // hostile SQL, yet a valid regular expression
    String role = server.createRole("logged", "superuser");
    server.execute("alter role " + role + " set log_statement = 'all'");
    Run run = Run.of(server.argsAs(role, "--list", "-u", marker, "--database", marker,
        "-a", marker, "--query", marker, "-i", "--backend-type", marker, "--exclude-user", marker,
        "--exclude-database", marker, "--exclude-application", marker, "-s", "idle",
        "--idle-longer-than", "1s", "--running-longer-than", "1s", "--xact-longer-than", "1s",
        "--connected-longer-than", "1s"));
    Run pids;
    try (Victim named = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", marker)) {
      named.sleep();
      pids = Run.of(server.argsAs(role, "--cancel", "--state", "active", "-a", marker,
          Integer.toString(named.pid())));
      assertThat(named.failure().getSQLState()).isEqualTo("57014");
    }

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(pids.status()).as(pids.err()).isZero();
    PostgresServer.await("the server log", java.time.Duration.ofSeconds(5), () -> logged(role).size() >= 6);
    List<String> lines = logged(role);
    List<String> statements = lines.stream().filter(l -> l.contains("LOG:  execute")).toList();
    assertThat(statements).as("pgkill's statements in the server log").hasSizeGreaterThanOrEqualTo(3)
        .anySatisfy(l -> assertThat(l).contains("where", "like any ($", "~* $"))
        .anySatisfy(l -> assertThat(l).contains("pg_cancel_backend(a.pid)", "a.backend_start = $"))
        .allSatisfy(l -> assertThat(l).doesNotContain("injected"));
    assertThat(lines).anySatisfy(l -> assertThat(l).containsIgnoringCase("DETAIL:  parameters:").contains("injected"));
  }

  /**
   * The server log entries of pgkill's sessions as {@code role}, each with its continuation lines
   * (a statement's later lines start with white space and carry no prefix).
   */
  private List<String> logged(String role) {
    List<String> entries = new java.util.ArrayList<>();
    try {
      for (String line : java.nio.file.Files.readAllLines(server.log())) {
        if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !entries.isEmpty()) {
          entries.set(entries.size() - 1, entries.get(entries.size() - 1) + "\n" + line);
        } else {
          entries.add(line);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return entries.stream().filter(e -> e.startsWith("pgkill@" + role + "@")).toList();
  }

  @Test
  void badRegexOrAddressIsAUsageErrorEvenWhenNoSessionWouldReachIt() throws Exception {
    String unused = Integer.toString(server.unusedPid());

    Run regex = Run.of(server.args("--cancel", "--query", "(unclosed", unused));
    Run address = Run.of(server.args("--cancel", "--client", "10.0.0.300/8", unused));
    // Not refused before connecting (only the server knows its character ranges): the server's
    // invalid_regular_expression is a usage error too.
    Run judgedByTheServer = Run.of(server.args("--cancel", "--query", "[z-a]", unused));

    assertThat(regex.status()).isEqualTo(2);
    assertThat(regex.err()).startsWith("pgkill: error: invalid --query regular expression");
    assertThat(address.status()).isEqualTo(2);
    assertThat(address.err()).contains("invalid --client \"10.0.0.300/8\"");
    assertThat(judgedByTheServer.status()).isEqualTo(2);
    assertThat(judgedByTheServer.err())
        .isEqualTo("pgkill: error: invalid --query regular expression: invalid regular expression:"
            + " invalid character range (see pgkill --help)\n");
  }

  @Test
  void filterNeverMeansEverySession() {
    Run run = Run.of(server.args("--terminate"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("pgkill never means every session");
  }

  @Test
  void hiddenWalsenderIsNeverTakenForAClientBackend() throws Exception {
    String replicator = server.createRole("replicator", "replication");
    String signaller = server.createRole("signaller", "in role pg_signal_backend");
    java.util.Properties walsender = new java.util.Properties();
    walsender.setProperty("user", replicator);
    walsender.setProperty("password", PostgresServer.PASSWORD);
    walsender.setProperty("replication", "database");
    walsender.setProperty("assumeMinServerVersion", "10");
    walsender.setProperty("preferQueryMode", "simple");
    try (Connection replication = java.sql.DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + server.port() + "/postgres", walsender)) {
      int pid = Integer.parseInt(server.queryString(PostgresServer.SUPERUSER,
          "select pid from pg_stat_activity where backend_type = 'walsender' and usename = '"
              + replicator + "'"));

      Run named = Run.of(server.argsAs(signaller, "--terminate", "--unverified", Integer.toString(pid)));
      Run filtered = Run.of(server.argsAs(signaller, "--terminate", "--unverified", "-u", replicator, "-y"));

      assertThat(named.status()).isEqualTo(1);
      assertThat(named.lineOf(pid)).contains("walsender", "not signalled: a walsender, not a client backend");
      assertThat(filtered.status()).as(filtered.out()).isEqualTo(1);
      assertThat(filtered.out()).doesNotContain(Integer.toString(pid));
      assertThat(server.hasBackend(pid)).isTrue();
      assertThat(replication.isValid(2)).isTrue();
    }
  }

  @Test
  void newestAmongSessionsWhoseStartIsHiddenPicksNothing() throws Exception {
    String plain = server.createRole("plain", "in role pg_signal_backend");
    String other = server.createRole("other", "");
    String app = unique("newest");
    try (Victim older = Victim.connect(server, other, "postgres", app);
        Victim newer = Victim.connect(server, other, "postgres", app)) {
      older.sleep();
      newer.sleep();
      Run run = Run.of(server.argsAs(plain, "--cancel", "--newest", "--unverified", "-a", app));

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.out()).contains("cannot be identified safely").doesNotContain("signalled (");
      assertThat(older.stillSleeping()).isTrue();
      assertThat(newer.stillSleeping()).isTrue();
    }
  }

  @Test
  void aDatabaseOwnersFunctionsCannotStandInForTheServers() throws Exception {
    String owner = server.createRole("owner", "createdb");
    String database = "hostile_" + Long.toHexString(System.nanoTime());
    server.execute("create database " + database + " owner " + owner);
    try (Connection asOwner = server.connect(owner, database, "setup");
        Statement statement = asOwner.createStatement()) {
      // A function that says "true" and does nothing, ahead of pg_catalog on the search path.
      statement.execute("create function public.pg_terminate_backend(integer) returns boolean"
          + " language sql as 'select true'");
      statement.execute("alter database " + database + " set search_path = public, pg_catalog");
    }
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("-d", database, "--terminate", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
    }
  }

  @Test
  void autovacuumWorkersNeedTheirOwnPrivilegeFrom18() throws Exception {
    try (PostgresServer vacuuming = PostgresServer.start(java.util.Map.of("autovacuum_naptime", "1"))) {
      // A vacuum slowed to a crawl, so that its worker stays long enough to be signalled.
      vacuuming.execute("create table crawl (x int) with (autovacuum_vacuum_cost_delay = 100,"
          + " autovacuum_vacuum_cost_limit = 1)");
      vacuuming.execute("insert into crawl select generate_series(1, 100000)");
      vacuuming.execute("delete from crawl");
      PostgresServer.await("an autovacuum worker", java.time.Duration.ofSeconds(30), () -> {
        try {
          return vacuuming.queryString(PostgresServer.SUPERUSER,
              "select pid from pg_stat_activity where backend_type = 'autovacuum worker'") != null;
        } catch (SQLException e) {
          return false;
        }
      });
      int worker = vacuuming.pidOf("autovacuum worker");
      String signaller = vacuuming.createRole("signaller", "in role pg_signal_backend, pg_read_all_stats");

      Run denied = Run.of(vacuuming.argsAs(signaller, "--cancel", "-o", "json",
          "--backend-type", "autovacuum worker", Integer.toString(worker)));

      var line = json(denied.out().lines().findFirst().orElseThrow());
      if (vacuuming.major() == 10) {
        // 10 never got the fix that made role-less processes count as superuser-owned.
        assertThat(line).containsEntry("outcome", "signalled");
        return;
      }
      assertThat(denied.status()).isEqualTo(1);
      assertThat(line).containsEntry("outcome", "denied").containsEntry("sqlstate", "42501");
      if (vacuuming.major() >= 18) {
        assertThat(line).containsEntry("detail", "Only roles with privileges of the"
            + " \"pg_signal_autovacuum_worker\" role may cancel autovacuum workers.");
        String vacuumKiller = vacuuming.createRole("vacuum_killer",
            "in role pg_signal_autovacuum_worker, pg_read_all_stats");
        Run allowed = Run.of(vacuuming.argsAs(vacuumKiller, "--cancel",
            "--backend-type", "autovacuum worker", Integer.toString(worker)));
        assertThat(allowed.status()).as(allowed.out() + allowed.err()).isZero();
        assertThat(allowed.lineOf(worker)).contains("autovacuum worker", "signalled (");
      }
    }
  }

  @Test
  void parallelWorkersAreNeverSignalledOnTheirOwn() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(server.major() >= 13, "leader_pid exists from 13");
    server.execute("create table if not exists wide as select generate_series(1, 200000) x");
    server.execute("create or replace function slow(int) returns boolean language sql parallel safe"
        + " as 'select pg_sleep(0.0005) is not null'");
    try (Victim leader = Victim.connect(server, PostgresServer.SUPERUSER)) {
      leader.run("set max_parallel_workers_per_gather = 2").run("set parallel_setup_cost = 0")
          .run("set parallel_tuple_cost = 0").run("set min_parallel_table_scan_size = 0");
      var query = java.util.concurrent.CompletableFuture.runAsync(
          () -> leader.run("select count(*) from wide where slow(x)"));
      PostgresServer.await("parallel workers", java.time.Duration.ofSeconds(10), () -> {
        try {
          return server.queryString(PostgresServer.SUPERUSER, "select count(*) from pg_stat_activity"
              + " where backend_type = 'parallel worker' and leader_pid = " + leader.pid()).compareTo("1") >= 0;
        } catch (SQLException e) {
          return false;
        }
      });
      int worker = server.pidOf("parallel worker");

      Run named = Run.of(server.args("--terminate", "--backend-type", "any", Integer.toString(worker)));
      Run listed = Run.of(server.args("--list", "-o", "pid", "--backend-type", "any",
          "--query", "slow\\(x\\)"));

      assertThat(named.status()).isEqualTo(1);
      assertThat(named.lineOf(worker)).contains("a parallel worker; signal the query's leader instead");
      assertThat(listed.out().lines()).contains(Integer.toString(leader.pid()))
          .doesNotContain(Integer.toString(worker));
      assertThat(server.hasBackend(worker)).isTrue();
      server.execute("select pg_cancel_backend(" + leader.pid() + ")");
      query.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /**
   * What each kind of role can see and signal, against sessions of a superuser, of itself and of
   * another role, and what the report says when the server refuses.
   */
  @org.junit.jupiter.api.Nested
  class Privileges {
    private String plain;
    private String other;
    private String signaller;
    private String monitor;

    @org.junit.jupiter.api.BeforeEach
    void roles() throws Exception {
      plain = server.createRole("plain", "");
      other = server.createRole("other", "");
      signaller = server.createRole("signaller", "in role pg_signal_backend");
      monitor = server.createRole("monitor", "in role pg_monitor");
    }

    /** Cancels the three sessions as {@code actor}; returns each outcome line, by owner. */
    private java.util.Map<String, java.util.Map<String, Object>> cancelAs(
        String actor, String self, boolean unverified) throws Exception {
      try (Victim superuser = Victim.sleeping(server, PostgresServer.SUPERUSER);
          Victim own = Victim.sleeping(server, self);
          Victim others = Victim.sleeping(server, other)) {
        List<String> args = new java.util.ArrayList<>(List.of("--cancel", "-o", "json"));
        if (unverified) {
          args.add("--unverified");
        }
        args.addAll(List.of(Integer.toString(superuser.pid()), Integer.toString(own.pid()),
            Integer.toString(others.pid())));
        Run run = Run.of(server.argsAs(actor, args.toArray(String[]::new)));
        List<java.util.Map<String, Object>> lines = run.out().lines().map(PgkillIT::json).toList();
        java.util.Map<String, java.util.Map<String, Object>> byOwner = new java.util.HashMap<>();
        byOwner.put("superuser", lines.get(0));
        byOwner.put("own", lines.get(1));
        byOwner.put("other", lines.get(2));
        // What the server did must agree with what was reported.
        for (var entry : java.util.Map.of("superuser", superuser, "own", own, "other", others).entrySet()) {
          boolean reported = (Boolean) byOwner.get(entry.getKey()).get("signalled");
          if (reported) {
            assertThat(entry.getValue().failure().getSQLState()).isEqualTo("57014");
          } else {
            assertThat(entry.getValue().stillSleeping()).as(entry.getKey()).isTrue();
          }
        }
        return byOwner;
      }
    }

    private String denied(java.util.Map<String, Object> line) {
      return line.get("message") + (line.get("detail") == null ? "" : " DETAIL: " + line.get("detail"));
    }

    @Test
    void superuserSeesAndSignalsEverySession() throws Exception {
      var outcomes = cancelAs(PostgresServer.SUPERUSER, plain, false);

      assertThat(outcomes.values()).extracting(o -> o.get("outcome")).containsOnly("signalled");
    }

    @Test
    void plainRoleSignalsOnlyItsOwnAndCannotIdentifyOthers() throws Exception {
      var hidden = cancelAs(plain, plain, false);
      assertThat(hidden.get("own")).containsEntry("outcome", "signalled").containsEntry("state", "active");
      assertThat(hidden.get("other")).containsEntry("outcome", "unverifiable").containsEntry("state", null)
          .containsEntry("user", other);
      assertThat(hidden.get("superuser")).containsEntry("outcome", "unverifiable");

      var forced = cancelAs(plain, plain, true);
      assertThat(forced.get("other")).containsEntry("outcome", "denied").containsEntry("sqlstate", "42501");
      assertThat(denied(forced.get("other"))).isEqualTo(ServerMessages.cancelDenied(server.major(), false));
      assertThat(denied(forced.get("superuser"))).isEqualTo(ServerMessages.cancelDenied(server.major(), true));
    }

    @Test
    void signalBackendMemberSignalsOtherRolesButNotSuperusers() throws Exception {
      var hidden = cancelAs(signaller, signaller, false);
      assertThat(hidden.get("other")).containsEntry("outcome", "unverifiable");

      var forced = cancelAs(signaller, signaller, true);
      assertThat(forced.get("own")).containsEntry("outcome", "signalled");
      assertThat(forced.get("other")).containsEntry("outcome", "signalled");
      assertThat(forced.get("superuser")).containsEntry("outcome", "denied");
      assertThat(denied(forced.get("superuser"))).isEqualTo(ServerMessages.cancelDenied(server.major(), true));
    }

    @Test
    void monitorSeesEverySessionButSignalsOnlyItsOwn() throws Exception {
      var outcomes = cancelAs(monitor, monitor, false);

      assertThat(outcomes.get("own")).containsEntry("outcome", "signalled");
      assertThat(outcomes.get("other")).containsEntry("outcome", "denied").containsEntry("state", "active");
      assertThat(denied(outcomes.get("other"))).isEqualTo(ServerMessages.cancelDenied(server.major(), false));
      assertThat(outcomes.get("superuser")).containsEntry("outcome", "denied");
      assertThat(denied(outcomes.get("superuser"))).isEqualTo(ServerMessages.cancelDenied(server.major(), true));
    }

    @Test
    void whatEachRoleCanList() throws Exception {
      try (Victim others = Victim.sleeping(server, other)) {
        Run asPlain = Run.of(server.argsAs(plain, "--list", "-o", "json", "-u", other));
        Run asMonitor = Run.of(server.argsAs(monitor, "--list", "-o", "json", "-u", other));

        assertThat(json(asPlain.out().lines().findFirst().orElseThrow()))
            .containsEntry("pid", others.pid()).containsEntry("state", null)
            .containsEntry("backend_start", null).containsEntry("query", "<insufficient privilege>");
        assertThat(json(asMonitor.out().lines().findFirst().orElseThrow()))
            .containsEntry("pid", others.pid()).containsEntry("state", "active")
            .containsEntry("query", "select pg_sleep(60)");
      }
    }
  }

  @Test
  void waitReportsTheQueryCancelled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--cancel", "--wait=2s", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(victim.pid())).contains(" cancelled ");
      assertThat(run.out()).endsWith("cancel: 1 of 1 target signalled; 1 ended\n");
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void waitReportsTheSessionTerminatedAndItIsGone() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--terminate", "--wait", "2s", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(victim.pid())).contains(" terminated ");
      assertThat(server.hasBackend(victim.pid())).isFalse();
    }
  }

  @Test
  void waitWithoutAValueLeavesTheNextPidAPid() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--terminate", "--wait", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(victim.pid())).contains(" terminated ");
    }
  }

  @Test
  void cancelIgnoredByAnIdleTransactionIsNotDoneAndExitsOne() throws Exception {
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER)) {
      victim.run("begin").run("select 1");
      Run run = Run.of(server.args("--cancel", "--wait=500ms", Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.lineOf(victim.pid())).contains("still idle in transaction after 500ms");
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void escalationTerminatesWhatTheCancelDidNotEndAndSaysBothSteps() throws Exception {
    try (Victim idle = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim sleeper = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      idle.run("begin").run("select 1");
      Run run =
          Run.of(server.args("--cancel", "--escalate=500ms", "--wait=2s", "-o", "json",
              Integer.toString(idle.pid()), Integer.toString(sleeper.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines.get(0))
          .contains("\"pid\":" + idle.pid(), "\"action\":\"cancel\"", "\"wait\":\"still_in_transaction\"",
              "\"escalation\":{\"action\":\"terminate\",\"signalled\":true", "\"wait\":\"terminated\"");
      assertThat(lines.get(1)).contains("\"wait\":\"cancelled\"", "\"escalation\":null");
      assertThat(server.hasBackend(idle.pid())).isFalse();
      assertThat(sleeper.usable()).isTrue();

      try (Victim again = Victim.connect(server, PostgresServer.SUPERUSER)) {
        again.run("begin").run("select 1");
        Run text = Run.of(server.args("-c", "--escalate=500ms", Integer.toString(again.pid())));
        assertThat(text.lineOf(again.pid()))
            .contains("still idle in transaction after 500ms → terminated");
      }
    }
  }

  @Test
  void blockersChoosesOnlyTheRootOfALockQueueAndListShowsWhomItBlocks() throws Exception {
    String table = "chain_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (x int)");
    String app = unique("root");
    try (Victim a = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim b = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim c = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      a.run("begin").run("select * from " + table);
      b.queueFor("alter table " + table + " add column y int");  // ACCESS EXCLUSIVE
      c.queueFor("select * from " + table);

      Run list = Run.of(server.args("--list", "--blockers", "-a", app));
      assertThat(list.status()).as(list.out() + list.err()).isZero();
      List<String> lines = list.out().lines().toList();
      assertThat(lines.get(1)).startsWith(a.pid() + " ");
      assertThat(lines.get(2)).startsWith("  └─ " + b.pid() + "  postgres  waiting ");
      assertThat(lines.get(3)).startsWith("     └─ " + c.pid() + "  postgres  waiting ");
      assertThat(list.out()).endsWith("1 session\n");

      Run json = Run.of(server.args("--list", "--blockers", "-a", app, "-o", "json"));
      assertThat(json.out().lines().findFirst().orElseThrow())
          .contains("\"blocks\":[{\"pid\":" + b.pid())
          .contains("\"blocks\":[{\"pid\":" + c.pid());

      Run none = Run.of(server.args("-t", "--blockers", "--blocking-longer-than", "1h", "-a", app));
      assertThat(none.status()).isEqualTo(1);

      Run run = Run.of(server.args("--terminate", "--wait=2s", "--blockers", "-a", app));
      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(a.pid())).contains("terminated");
      assertThat(run.out()).doesNotContain(b.pid() + " ", c.pid() + " ");
      assertThat(server.hasBackend(a.pid())).isFalse();
      assertThat(b.usable()).isTrue();
    }
  }

  @Test
  void preparedTransactionInTheWayGetsAHintAndIsNeverSignalled() throws Exception {
    String table = "prep_" + Long.toHexString(System.nanoTime());
    String gid = "pgkill-" + table;
    server.execute("create table " + table + " (x int)");
    try (Victim holder = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim waiter = Victim.connect(server, PostgresServer.SUPERUSER)) {
      holder.run("begin").run("lock table " + table + " in access exclusive mode")
          .run("prepare transaction '" + gid + "'");
      waiter.queueFor("select * from " + table);
      try {
        Run run = Run.of(server.args("--terminate", "--blockers"));

        assertThat(run.out()).contains("prepared transaction '" + gid + "'",
            "end it with ROLLBACK PREPARED '" + gid + "'");
        assertThat(server.hasBackend(waiter.pid())).isTrue();
        assertThat(server.queryString(PostgresServer.SUPERUSER,
            "select count(*) from pg_prepared_xacts where gid = '" + gid + "'")).isEqualTo("1");
      } finally {
        server.execute("rollback prepared '" + gid + "'");
      }
    }
  }

  @Test
  void xminOlderThanFindsTheTransactionHoldingBackVacuumAndShowsItsAge() throws Exception {
    String app = unique("xmin");
    try (Victim holder = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim young = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Connection burner = server.connect(PostgresServer.SUPERUSER)) {
      holder.run("begin isolation level repeatable read").run("select 1");
      try (Statement statement = burner.createStatement()) {
        for (int i = 0; i < 30; i++) {
          statement.execute("select txid_current()");
        }
      }
      young.run("begin isolation level repeatable read").run("select 1");

      Run run = Run.of(server.args("--list", "--xmin-older-than", "20", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("XMIN AGE");
      assertThat(run.lineOf(holder.pid())).containsPattern("idle in transaction .* [3-9]\\d ");
      assertThat(run.out()).doesNotContain(young.pid() + " ");
    }
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> json(String line) {
    try (var parser = new com.fasterxml.jackson.core.JsonFactory().createParser(line)) {
      java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
      assertThat(parser.nextToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.START_OBJECT);
      while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        var token = parser.nextToken();
        fields.put(name, switch (token) {
          case VALUE_NULL -> null;
          case VALUE_TRUE -> true;
          case VALUE_FALSE -> false;
          case VALUE_NUMBER_INT -> parser.getIntValue();
          default -> parser.getText();
        });
      }
      assertThat(parser.nextToken()).isNull();
      return fields;
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
      row.next();
      return row.getInt(1);
    }
  }
}
