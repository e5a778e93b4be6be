package dev.pgkill;

import dev.pgkill.text.Timestamps;

import dev.pgkill.run.Pgkill;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.ExitStatus;
import dev.pgkill.run.Confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.report.TextReport;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.testing.CuttingProxy;
import dev.pgkill.testing.PgkillSession;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
                  + Timestamps.utc(victim.backendStart()));
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
              .run(new dev.pgkill.connect.Connected(own, dev.pgkill.connect.ServerIdentity.of(own, null)),
                  invocation, new TextReport(new PrintWriter(out), new PrintWriter(out), false, 0));

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
      // Its type is hidden too: it could be a parallel worker. Both risks need saying yes to.
      Run typeHidden = Run.of(server.argsAs(signaller, "--cancel", "--unverified", Integer.toString(victim.pid())));
      assertThat(typeHidden.status()).isEqualTo(1);
      assertThat(typeHidden.lineOf(victim.pid())).contains(
          "not signalled: its backend type is hidden from pgkill's role, so it may not be a client"
              + " backend (grant pg_read_all_stats or pg_monitor, or use --backend-type any)");
      assertThat(victim.stillSleeping()).isTrue();

      Run run = Run.of(server.argsAs(signaller, "--cancel", "--unverified", "--backend-type", "any",
          Integer.toString(victim.pid())));

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
      Run byUser = Run.of(server.argsAs(plain, "--terminate", "-u", other, "-y"));
      Run anyType = Run.of(server.argsAs(plain, "--terminate", "-u", other, "--backend-type", "any", "-y"));

      assertThat(byState.status()).isEqualTo(1);
      assertThat(byQuery.status()).isEqualTo(1);
      assertThat(byUser.status()).isEqualTo(1);
      assertThat(byUser.out()).doesNotContain(Integer.toString(victim.pid()));
      assertThat(byUser.err()).isEqualTo("pgkill: hint: 1 session of another role was left out: role "
          + plain + " cannot see its backend type; grant pg_read_all_stats (or pg_monitor) to " + plain
          + " to see it, or give --backend-type any\n");
      assertThat(anyType.status()).isEqualTo(1);
      assertThat(anyType.lineOf(victim.pid())).contains("cannot be identified safely");
      assertThat(anyType.err()).isEmpty();
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
  void pgkillsOwnSessionTerminatedWhileWaitingStillReportsEveryTargetAndHowLongItWaited()
      throws Exception {
    // A cancel never ends an idle transaction: pgkill would wait the whole minute, polling.
    String role = server.createRole("waiting", "");
    try (Victim idle = Victim.connect(server, role)) {
      idle.run("begin").run("select 1");
      CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> Run.of(
          server.argsAs(role, "--cancel", "--wait=60s", "-o", "json", Integer.toString(idle.pid()))));
      // Another DBA (or a fast shutdown) ends pgkill's session: FATAL 57P01 on its next poll.
      int pgkill = PgkillSession.awaitWaiting(server, role);
      server.execute("select pg_terminate_backend(" + pgkill + ")");
      Run run = running.get(30, TimeUnit.SECONDS);

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(3);
      List<String> lines = run.out().lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .contains("\"pid\":" + idle.pid(), "\"signalled\":true", "\"outcome\":\"signalled\"",
              "\"wait\":\"connection_lost\"");
      long waited = Long.parseLong(lines.get(0).replaceFirst(".*\"waited_ms\":(\\d+).*", "$1"));
      assertThat(waited).as("waited as long as it really did, not the whole timeout")
          .isLessThan(60_000);
      assertThat(lines.get(1)).contains("\"type\":\"summary\"", "\"signalled\":1", "\"ended\":0");
      assertThat(idle.usable()).isTrue();
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
  void dryRunOverMaxStillShowsTheSessionsItRefused() throws Exception {
    String app = unique("maxdry");
    List<Victim> victims = sleepers(app, 3);
    try {
      Run run = Run.of(server.args("--terminate", "--dry-run", "--yes", "-a", app, "--max", "2"));

      assertThat(run.status()).isEqualTo(5);
      for (Victim victim : victims) {
        assertThat(run.lineOf(victim.pid())).contains(app, "active", "select pg_sleep(60)");
        assertThat(victim.stillSleeping()).isTrue();
      }
      assertThat(run.out()).endsWith("3 sessions\n");
      assertThat(run.err())
          .isEqualTo("pgkill: error: refusing to terminate 3 sessions: more than --max 2;"
              + " nothing was signalled\n");
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
        // The table and the question both go to the terminal: standard output stays the report.
        assertThat(questions.toString())
            .startsWith("PID ")
            .contains(Integer.toString(victims.get(0).pid()), app)
            .endsWith("\nCancel 2 sessions on 127.0.0.1:" + server.port() + " (PostgreSQL "
                + release() + ", primary)? [y/N] \n");
        assertThat(declined.out()).isEmpty();
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
        @Override public boolean showsOutput() { return false; }
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
      assertThat(run.lineOf(victim.pid()))
          .contains("idle ", "not signalled: does not match --state idle-in-transaction");
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void aSessionThatEndsWhileThePersonAnswersIsGoneNotUnmatched() throws Exception {
    String app = unique("vanished");
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      victim.run("begin").run("select 1");
      dev.pgkill.cli.Terminal slowPerson =
          new dev.pgkill.testing.ScriptedTerminal(true, new java.util.ArrayDeque<>(List.of("y")),
              dev.pgkill.connect.PasswordSource.NOBODY, new StringBuilder());
      // While the question is open, the session goes away (its client disconnects, say).
      dev.pgkill.cli.Terminal vanishing = new dev.pgkill.cli.Terminal() {
        @Override public boolean interactive() { return true; }
        @Override public boolean showsOutput() { return false; }
        @Override public int width() { return 0; }
        @Override public java.util.Optional<char[]> readPassword(String prompt) { return java.util.Optional.empty(); }
        @Override public java.util.Optional<String> readLine(String prompt) {
          try {
            server.execute("select pg_terminate_backend(" + victim.pid() + ")");
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
          victim.awaitGone();
          return slowPerson.readLine(prompt);
        }
      };

      Run run = Run.with(java.util.Map.of(), "", vanishing,
          server.args("--terminate", "-s", "idle-in-transaction", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.lineOf(victim.pid())).contains("not signalled: gone since it was inspected");
    }
  }

  @Test
  void withNoTerminalAFilterChosenSignalNeedsYes() throws Exception {
    String app = unique("cron");
    List<Victim> victims = sleepers(app, 2);
    try {
      Run refused = Run.of(server.args("-t", "-a", app));

      assertThat(refused.status()).isEqualTo(5);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.err())
          .isEqualTo("pgkill: error: refusing to terminate 2 sessions chosen by a filter: there is"
              + " no terminal to ask on; add --yes to signal without asking; nothing was"
              + " signalled\n");
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }
      // A dry run, a list and named PIDs signal nothing a filter chose: no --yes needed.
      Run rehearsal = Run.of(server.args("-t", "-n", "-a", app));
      assertThat(rehearsal.status()).isZero();
      assertThat(rehearsal.err())
          .isEqualTo("pgkill: hint: without --yes this run would be refused: a selection chose the"
              + " sessions and there is no terminal to ask on (exit status 5)\n");
      assertThat(Run.of(server.args("-t", "-n", "-a", app, "--yes")).err()).isEmpty();
      assertThat(Run.of(server.args("-l", "-a", app)).status()).isZero();

      Run confirmed = Run.of(server.args("-t", "-a", app, "--yes"));
      assertThat(confirmed.status()).as(confirmed.err()).isZero();
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void theQuestionNamesTheHostOfAFailoverListThatAnswered() throws Exception {
    String app = unique("failover");
    List<Victim> victims = sleepers(app, 1);
    int dead;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      dead = socket.getLocalPort();
    }
    try {
      StringBuilder questions = new StringBuilder();
      Run run = Run.with(java.util.Map.of(), "", Run.person(new java.util.ArrayDeque<>(), questions),
          "-h", "127.0.0.1,127.0.0.1", "-p", dead + "," + server.port(), "-U", PostgresServer.SUPERUSER,
          "-c", "-a", app);

      assertThat(run.status()).as(run.err()).isEqualTo(5);
      assertThat(questions.toString().lines().reduce((a, b) -> b))
          .hasValue("Cancel 1 session on 127.0.0.1:" + server.port() + " (PostgreSQL " + release()
              + ", primary)? [y/N] ");
      assertThat(victims.get(0).stillSleeping()).isTrue();
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void theQuestionNamesTheSocketOfAUnixSocketConnection() throws Exception {
    String app = unique("socket");
    List<Victim> victims = sleepers(app, 1);
    try {
      StringBuilder questions = new StringBuilder();
      Run run = Run.with(java.util.Map.of(), "", Run.person(new java.util.ArrayDeque<>(), questions),
          "-h", server.socketDirectory().toString(), "-p", Integer.toString(server.port()),
          "-U", PostgresServer.SUPERUSER, "-c", "-a", app);

      assertThat(run.status()).as(run.err()).isEqualTo(5);
      assertThat(questions.toString().lines().reduce((a, b) -> b))
          .hasValue("Cancel 1 session on " + server.socketDirectory().resolve(".s.PGSQL." + server.port())
              + " (PostgreSQL " + release() + ", primary)? [y/N] ");
      assertThat(victims.get(0).stillSleeping()).isTrue();
    } finally {
      closeAll(victims);
    }
  }

  /** The server's release as a DBA names it: 18.1, 10.23. */
  private String release() {
    return server.versionNum() / 10000 + "." + server.versionNum() % 10000;
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
  void namedPidThatFailsTheFiltersIsLeftAloneShowingItsRowAndTheFilterItFails() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("-t", Integer.toString(victim.pid()), "--state", "idle"));

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.lineOf(victim.pid()))
          .contains("postgres", "pgkill-test", "active", "select pg_sleep(60)")
          .contains("not signalled: does not match --state idle");
      assertThat(victim.stillSleeping()).isTrue();

      // The first filter it fails is named, the user's values as typed.
      Run byUser = Run.of(server.args("-t", Integer.toString(victim.pid()), "-u", "app", "-u", "ops",
          "--state", "idle", "--running-longer-than", "1h30m"));
      assertThat(byUser.lineOf(victim.pid()))
          .contains("not signalled: does not match --user app or --user ops");
      Run byAge = Run.of(server.args("-t", Integer.toString(victim.pid()), "-u", "postgres",
          "--running-longer-than", "1h30m"));
      assertThat(byAge.lineOf(victim.pid()))
          .contains("not signalled: does not match --running-longer-than 1h30m");
      Run excluded = Run.of(server.args("-t", Integer.toString(victim.pid()), "--exclude-user",
          "postgres", "-o", "json"));
      assertThat(excluded.out().lines().findFirst().orElseThrow())
          .contains("\"outcome\":\"not_matched\"", "\"user\":\"postgres\"",
              "\"result_text\":\"not signalled: excluded by --exclude-user postgres\"");
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
          .containsEntry("backend_start", Timestamps.utc(victim.backendStart()))
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
      Run run = Run.of(server.argsAs(plain, "--cancel", "--newest", "--unverified", "-a", app, "--yes"));

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.out()).doesNotContain("signalled (");
      String hint = "pgkill: hint: --newest chose nothing: the backend_start of 2 matching sessions"
          + " is hidden from role " + plain + ", so which one connected last cannot be told;"
          + " grant pg_read_all_stats (or pg_monitor) to " + plain + "\n";
      assertThat(run.err()).isEqualTo(hint);
      // A listing of "the newest" lists none of them either, rather than every candidate.
      Run listed =
          Run.of(server.argsAs(plain, "-l", "--newest", "--backend-type", "any", "-a", app, "-o", "pid"));
      assertThat(listed.status()).isEqualTo(1);
      assertThat(listed.out()).isEmpty();
      assertThat(listed.err()).isEqualTo(hint);
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

      Run dry = Run.of(vacuuming.argsAs(signaller, "--cancel", "-o", "json", "-n",
          "--backend-type", "autovacuum worker", Integer.toString(worker)));
      Run denied = Run.of(vacuuming.argsAs(signaller, "--cancel", "-o", "json",
          "--backend-type", "autovacuum worker", Integer.toString(worker)));

      var predicted = json(dry.out().lines().findFirst().orElseThrow());
      var line = json(denied.out().lines().findFirst().orElseThrow());
      if (vacuuming.major() == 10) {
        // 10 never got the fix that made role-less processes count as superuser-owned.
        assertThat(predicted).containsEntry("outcome", "would_signal");
        assertThat(line).containsEntry("outcome", "signalled");
        return;
      }
      assertThat(predicted).containsEntry("outcome",
          vacuuming.major() >= 18 ? "would_be_refused_autovacuum" : "would_be_refused_superuser");
      assertThat(dry.status()).isEqualTo(1);
      assertThat(denied.status()).isEqualTo(1);
      assertThat(line).containsEntry("outcome", "denied").containsEntry("sqlstate", "42501");
      if (vacuuming.major() >= 18) {
        assertThat(line).containsEntry("detail", "Only roles with privileges of the"
            + " \"pg_signal_autovacuum_worker\" role may cancel autovacuum workers.");
        String vacuumKiller = vacuuming.createRole("vacuum_killer",
            "in role pg_signal_autovacuum_worker, pg_read_all_stats");
        Run allowedDry = Run.of(vacuuming.argsAs(vacuumKiller, "--cancel", "-n",
            "--backend-type", "autovacuum worker", Integer.toString(worker)));
        assertThat(allowedDry.status()).as(allowedDry.out() + allowedDry.err()).isZero();
        assertThat(allowedDry.lineOf(worker)).contains("would cancel (dry run)");
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
      assertThat(named.lineOf(worker))
          .contains("not signalled: a parallel worker of leader PID " + leader.pid() + "; signal the leader instead");
      assertThat(listed.out().lines()).contains(Integer.toString(leader.pid()))
          .doesNotContain(Integer.toString(worker));
      assertThat(server.hasBackend(worker)).isTrue();
      server.execute("select pg_cancel_backend(" + leader.pid() + ")");
      query.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Starts a parallel query in this session and returns once the server shows its workers. */
  private java.util.concurrent.CompletableFuture<Void> parallelQuery(Victim leader) throws SQLException {
    server.execute("create table if not exists wide as select generate_series(1, 200000) x");
    server.execute("grant select on wide to public");
    server.execute("create or replace function slow(int) returns boolean language sql parallel safe"
        + " as 'select pg_sleep(0.0005) is not null'");
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
    return query;
  }

  @Test
  void aRoleThatCannotSeeBackendTypesNeverTakesAParallelWorkerForAClientBackend() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(server.major() >= 13, "leader_pid exists from 13");
    String other = server.createRole("other", "");
    String signaller = server.createRole("signaller", "in role pg_signal_backend");
    try (Victim leader = Victim.connect(server, other)) {
      var query = parallelQuery(leader);
      int worker = Integer.parseInt(server.queryString(PostgresServer.SUPERUSER,
          "select min(pid) from pg_stat_activity where leader_pid = " + leader.pid()));

      Run named = Run.of(server.argsAs(signaller, "--terminate", "--unverified", Integer.toString(worker)));
      Run filtered = Run.of(server.argsAs(signaller, "--terminate", "-u", other, "-y"));
      Run listed = Run.of(server.argsAs(signaller, "--list", "-o", "pid", "-u", other));

      assertThat(named.status()).isEqualTo(1);
      assertThat(named.lineOf(worker)).contains(other,
          "not signalled: its backend type is hidden from pgkill's role, so it may not be a client backend");
      assertThat(filtered.status()).isEqualTo(1);
      assertThat(filtered.out()).doesNotContain(Integer.toString(worker))
          .doesNotContain(Integer.toString(leader.pid()));
      assertThat(filtered.err()).contains("sessions of other roles were left out: role " + signaller
          + " cannot see their backend type; grant pg_read_all_stats (or pg_monitor)");
      assertThat(listed.status()).isEqualTo(1);
      assertThat(listed.out()).isEmpty();
      assertThat(server.hasBackend(worker)).isTrue();
      assertThat(query).isNotDone();
      server.execute("select pg_cancel_backend(" + leader.pid() + ")");
      query.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void dryRunSaysTheServerWouldNeverSignalTheCheckpointer() throws Exception {
    int checkpointer = server.pidOf("checkpointer");
    Run dry = Run.of(server.args("--terminate", "-n", "--backend-type", "any", Integer.toString(checkpointer)));
    Run real = Run.of(server.args("--terminate", "--backend-type", "any", Integer.toString(checkpointer)));

    assertThat(dry.status()).isEqualTo(1);
    assertThat(dry.lineOf(checkpointer))
        .contains("would be refused: the server never signals a checkpointer, an auxiliary process");
    assertThat(dry.out()).endsWith("dry run: would terminate 0 of 1 target; nothing was signalled\n");
    assertThat(real.status()).isEqualTo(1);
    assertThat(real.lineOf(checkpointer)).contains("returned false, WARNING 01000: PID " + checkpointer + " is not a");
    assertThat(server.hasBackend(checkpointer)).isTrue();
  }

  @Test
  void aListingWithoutASelectionShowsEveryClientBackendOrTheTypeAskedFor() throws Exception {
    String plain = server.createRole("plain", "");
    try (Victim mine = Victim.sleeping(server, plain);
        Victim superusers = Victim.connect(server, PostgresServer.SUPERUSER)) {
      Run all = Run.of(server.args("--list", "-o", "pid"));
      Run launcher = Run.of(server.args("--list", "--backend-type", "autovacuum launcher"));
      Run signal = Run.of(server.args("--terminate", "--exclude-user", "nobody", "-y"));

      assertThat(all.status()).as(all.err()).isZero();
      assertThat(all.out().lines()).contains(Integer.toString(mine.pid()), Integer.toString(superusers.pid()))
          .doesNotContain(Integer.toString(server.pidOf("checkpointer")));
      assertThat(launcher.status()).as(launcher.err()).isZero();
      assertThat(launcher.lineOf(server.pidOf("autovacuum launcher"))).contains("autovacuum launcher");
      assertThat(launcher.out()).endsWith("1 session\n");
      assertThat(signal.status()).isEqualTo(2);
      assertThat(signal.err()).contains("pgkill never means every session");
      assertThat(mine.stillSleeping()).isTrue();
      assertThat(superusers.usable()).isTrue();
    }
  }

  @Test
  void aSilentNothingGetsAHint() throws Exception {
    String app = server.createRole("app", "");
    Run noSuchRole = Run.of(server.args("--list", "-u", "nosuchrole"));
    Run commas = Run.of(server.args("--list", "-u", app + ",postgres"));
    Run noSuchType = Run.of(server.args("--list", "--backend-type", "autovacuum"));
    Run both = Run.of(server.args("--list", "-u", app, "-u", "postgres"));

    assertThat(noSuchRole.status()).isEqualTo(1);
    assertThat(noSuchRole.err()).isEqualTo("pgkill: hint: there is no role \"nosuchrole\"\n");
    assertThat(commas.status()).isEqualTo(1);
    assertThat(commas.err()).isEqualTo("pgkill: hint: there is no role \"" + app + ",postgres\": to"
        + " choose several roles, give -u once for each (-u " + app + " -u postgres)\n");
    assertThat(noSuchType.status()).isEqualTo(1);
    assertThat(noSuchType.err()).startsWith("pgkill: hint: no backend of type \"autovacuum\" is running;"
        + " the types running now are ").contains("autovacuum launcher", "client backend", "checkpointer");
    assertThat(both.err()).isEmpty();
  }

  /**
   * A dry run predicts what the server will do: each kind of role, against sessions of a
   * superuser, of its own, of another role, the autovacuum launcher (no role) and the
   * checkpointer (an auxiliary process), first with -n, then for real; the two must agree.
   */
  @org.junit.jupiter.api.Nested
  class DryRunPredictions {
    private String other;

    @org.junit.jupiter.api.BeforeEach
    void roles() throws Exception {
      other = server.createRole("other", "");
    }

    /** The dry run's outcome for each target, by name, once the real run has agreed with it. */
    private java.util.Map<String, Object> predicted(String actor, String self) throws Exception {
      try (Victim superuser = Victim.sleeping(server, PostgresServer.SUPERUSER);
          Victim own = Victim.sleeping(server, self);
          Victim others = Victim.sleeping(server, other)) {
        java.util.Map<String, Integer> pids = new java.util.LinkedHashMap<>();
        pids.put("superuser", superuser.pid());
        pids.put("own", own.pid());
        pids.put("other", others.pid());
        pids.put("launcher", server.pidOf("autovacuum launcher"));
        pids.put("checkpointer", server.pidOf("checkpointer"));
        List<String> args = new java.util.ArrayList<>(
            List.of("--cancel", "-o", "json", "--unverified", "--backend-type", "any"));
        pids.values().forEach(pid -> args.add(Integer.toString(pid)));
        List<String> dryArgs = new java.util.ArrayList<>(args);
        dryArgs.add("-n");
        Run dry = Run.of(server.argsAs(actor, dryArgs.toArray(String[]::new)));
        for (Victim victim : List.of(superuser, own, others)) {
          assertThat(victim.stillSleeping()).as("a dry run signals nothing").isTrue();
        }
        Run real = Run.of(server.argsAs(actor, args.toArray(String[]::new)));

        List<java.util.Map<String, Object>> dryLines = dry.out().lines().map(PgkillIT::json).toList();
        List<java.util.Map<String, Object>> realLines = real.out().lines().map(PgkillIT::json).toList();
        java.util.Map<String, Object> predictions = new java.util.LinkedHashMap<>();
        int i = 0;
        for (String name : pids.keySet()) {
          Object predicted = dryLines.get(i).get("outcome");
          Object happened = realLines.get(i).get("outcome");
          String what = actor + " against " + name + ": predicted " + predicted + ", " + realLines.get(i);
          assertThat(predicted).as(what).isNotEqualTo("may_be_refused");
          if ("would_signal".equals(predicted)) {
            assertThat(happened).as(what).isEqualTo("signalled");
          } else if (predicted.toString().startsWith("would_be_refused")) {
            assertThat(happened).as(what).isIn("denied", "warning");
            assertThat(dryLines.get(i).get("result_text").toString()).as(what).startsWith("would be refused: ");
          } else {
            assertThat(happened).as(what).isEqualTo(predicted);
          }
          predictions.put(name, predicted);
          i++;
        }
        assertThat(dryLines.get(i)).containsEntry("type", "summary").containsEntry("signalled", 0)
            .containsEntry("would_signal",
                (int) predictions.values().stream().filter("would_signal"::equals).count());
        return predictions;
      }
    }

    private String launcherToANonSuperuserWithSignalBackend() {
      return server.major() == 10 ? "would_signal" : "would_be_refused_superuser";
    }

    @Test
    void superuser() throws Exception {
      assertThat(predicted(PostgresServer.SUPERUSER, PostgresServer.SUPERUSER))
          .containsEntry("superuser", "would_signal").containsEntry("own", "would_signal")
          .containsEntry("other", "would_signal").containsEntry("launcher", "would_signal")
          .containsEntry("checkpointer", "would_be_refused_auxiliary");
    }

    @Test
    void plainRoleIsToldOfThe42501BeforeItGetsIt() throws Exception {
      String plain = server.createRole("plain", "");
      assertThat(predicted(plain, plain))
          .containsEntry("superuser", "would_be_refused_superuser").containsEntry("own", "would_signal")
          .containsEntry("other", "would_be_refused_privilege")
          .containsEntry("launcher", "unverifiable").containsEntry("checkpointer", "unverifiable");
    }

    @Test
    void signalBackendMember() throws Exception {
      String signaller = server.createRole("signaller", "in role pg_signal_backend");
      assertThat(predicted(signaller, signaller))
          .containsEntry("superuser", "would_be_refused_superuser").containsEntry("own", "would_signal")
          .containsEntry("other", "would_signal").containsEntry("launcher", "unverifiable");
    }

    @Test
    void signalBackendAndReadAllStatsMember() throws Exception {
      String killer = server.createRole("killer", "in role pg_signal_backend, pg_read_all_stats");
      assertThat(predicted(killer, killer))
          .containsEntry("superuser", "would_be_refused_superuser").containsEntry("other", "would_signal")
          .containsEntry("launcher", launcherToANonSuperuserWithSignalBackend())
          .containsEntry("checkpointer", "would_be_refused_auxiliary");
    }

    @Test
    void monitor() throws Exception {
      String monitor = server.createRole("monitor", "in role pg_monitor");
      assertThat(predicted(monitor, monitor))
          .containsEntry("own", "would_signal").containsEntry("other", "would_be_refused_privilege")
          .containsEntry("launcher", server.major() == 10 ? "would_be_refused_privilege" : "would_be_refused_superuser")
          .containsEntry("checkpointer", "would_be_refused_auxiliary");
    }

    @Test
    void memberOfTheOtherRoleHasItsPrivileges() throws Exception {
      String friend = server.createRole("friend", "in role " + other);
      assertThat(predicted(friend, friend)).containsEntry("other", "would_signal");
    }

    @Test
    void membershipWithoutInheritGivesNoPrivileges() throws Exception {
      String member = server.createRole("noinherit", "noinherit in role pg_signal_backend, pg_read_all_stats");
      assertThat(predicted(member, member))
          .containsEntry("own", "would_signal").containsEntry("other", "would_be_refused_privilege");
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
          args.addAll(List.of("--unverified", "--backend-type", "any"));
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
        Run asPlainAnyType = Run.of(server.argsAs(plain, "--list", "-o", "json", "-u", other, "--backend-type", "any"));
        Run asMonitor = Run.of(server.argsAs(monitor, "--list", "-o", "json", "-u", other));

        // Its type is hidden from plain: not known to be a client backend, so only counted.
        assertThat(asPlain.status()).isEqualTo(1);
        assertThat(json(asPlain.out().lines().findFirst().orElseThrow())).containsEntry("sessions", 0);
        assertThat(asPlain.err()).contains("1 session of another role was left out", "grant pg_read_all_stats");
        assertThat(json(asPlainAnyType.out().lines().findFirst().orElseThrow()))
            .containsEntry("pid", others.pid()).containsEntry("state", null)
            .containsEntry("backend_start", null).containsEntry("query", null);
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
  void cancelOfASessionRunningNoQuerySaysThereWasNothingToCancel() throws Exception {
    try (Victim idle = Victim.connect(server, PostgresServer.SUPERUSER)) {
      idle.run("select 1");
      Run run = Run.of(server.args("--cancel", "--wait=2s", Integer.toString(idle.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.lineOf(idle.pid()))
          .contains("nothing to cancel: no query was running")
          .doesNotContain("cancelled");
      assertThat(run.out())
          .endsWith("cancel: 1 of 1 target signalled; 0 ended, 1 had nothing to cancel\n");
      assertThat(idle.usable()).isTrue();
    }
  }

  @Test
  void transactionThatCommitsDuringTheGraceEndedByItselfAndIsNeverTerminated() throws Exception {
    String role = server.createRole("grace", "");
    try (Victim idle = Victim.connect(server, role)) {
      idle.run("begin").run("select 1");
      CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> Run.of(
          server.argsAs(role, "--cancel", "--escalate=60s", "--wait=2s", Integer.toString(idle.pid()))));
      PgkillSession.awaitWaiting(server, role);
      // The application commits on its own while pgkill gives the cancel its grace.
      idle.run("commit");
      Run run = running.get(30, TimeUnit.SECONDS);

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(idle.pid()))
          .contains("ended by itself: the session ended its transaction")
          .doesNotContain("cancelled", "terminate");
      assertThat(run.out()).endsWith(
          "cancel: 1 of 1 target signalled; 0 needed a terminate; 1 ended by itself\n");
      assertThat(idle.usable()).isTrue();
    }
  }

  @Test
  void dryRunThatWouldSignalNothingStillSaysItIsADryRun() throws Exception {
    int unused = server.unusedPid();
    Run text = Run.of(server.args("--cancel", "--dry-run", Integer.toString(unused)));
    Run json = Run.of(server.args("--cancel", "--dry-run", "-o", "json", Integer.toString(unused)));

    assertThat(text.status()).isEqualTo(1);
    assertThat(text.out()).endsWith("dry run: would cancel 0 of 1 target; nothing was signalled\n");
    assertThat(json.out().lines().reduce((a, b) -> b).orElseThrow())
        .contains("\"dry_run\":true", "\"would_signal\":0", "\"not_signalled\":1");
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
      assertThat(lines.get(2)).contains("\"type\":\"summary\"", "\"ended\":2", "\"needed_terminate\":1");
      assertThat(server.hasBackend(idle.pid())).isFalse();
      assertThat(sleeper.usable()).isTrue();

      try (Victim again = Victim.connect(server, PostgresServer.SUPERUSER)) {
        again.run("begin").run("select 1");
        Run text = Run.of(server.args("-c", "--escalate=500ms", Integer.toString(again.pid())));
        assertThat(text.lineOf(again.pid()))
            .contains("still idle in transaction after 500ms → terminated");
        assertThat(text.out())
            .endsWith("cancel: 1 of 1 target signalled; 1 needed a terminate; 1 ended\n");
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

      Run run = Run.of(server.args("--terminate", "--wait=2s", "--blockers", "-a", app, "--yes"));
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
        Run run = Run.of(server.args("--terminate", "--blockers", "--yes"));

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
  void aHostileGidIsShownEscapedAndItsHintPastedAsIsRollsItBack() throws Exception {
    String table = "hostile_" + Long.toHexString(System.nanoTime());
    String gid = "pgkill-\u001b[31mred\nline it's \\ back-" + table;
    server.execute("create table " + table + " (x int)");
    try (Victim holder = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim waiter = Victim.connect(server, PostgresServer.SUPERUSER);
        Connection admin = server.connect(PostgresServer.SUPERUSER)) {
      holder.run("begin").run("lock table " + table + " in access exclusive mode")
          .run("prepare transaction E'pgkill-\\x1b[31mred\\nline it''s \\\\ back-" + table + "'");
      assertThat(preparedCount(admin, gid)).as("the hostile gid was prepared").isEqualTo(1);
      waiter.queueFor("select * from " + table);
      try {
        Run run = Run.of(server.args("--list", "--blockers"));

        String literal = "E'pgkill-\\x1b[31mred\\nline it''s \\\\ back-" + table + "'";
        assertThat(run.out()).doesNotContain("\u001b")
            .contains("prepared transaction " + literal + " (owner postgres, database postgres)"
                + " blocks " + waiter.pid() + ": never signalled");
        String line = run.out().lines().filter(l -> l.contains(table)).findFirst().orElseThrow();
        String hint = line.substring(line.indexOf("end it with ") + "end it with ".length());
        assertThat(hint).isEqualTo("ROLLBACK PREPARED " + literal);
        assertThat(run.out()).endsWith("0 sessions\n");

        try (Statement statement = admin.createStatement()) {
          statement.execute(hint);
        }
        assertThat(preparedCount(admin, gid)).as("the pasted hint rolled it back").isZero();
        PostgresServer.await("the waiter to get its lock", java.time.Duration.ofSeconds(10),
            () -> {
              try {
                return "0".equals(server.queryString(PostgresServer.SUPERUSER,
                    "select count(*) from pg_locks where not granted and pid = " + waiter.pid()));
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
      } finally {
        if (preparedCount(admin, gid) > 0) {
          try (Statement statement = admin.createStatement()) {
            statement.execute("rollback prepared " + dev.pgkill.select.SqlLiteral.of(gid));
          }
        }
      }
    }
  }

  @Test
  void jsonBlockersEndWithTheSummaryAndAPreparedTransactionBlocksSessionObjects() throws Exception {
    String table = "prepjson_" + Long.toHexString(System.nanoTime());
    String gid = "pgkill-" + table;
    server.execute("create table " + table + " (x int)");
    try (Victim holder = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim waiter = Victim.connect(server, PostgresServer.SUPERUSER)) {
      holder.run("begin").run("lock table " + table + " in access exclusive mode")
          .run("prepare transaction '" + gid + "'");
      waiter.queueFor("select * from " + table);
      try {
        for (String action : List.of("--list", "--terminate")) {
          Run run = Run.of(server.args(action, "--blockers", "-o", "json"));

          List<String> lines = run.out().lines().toList();
          assertThat(lines).as(run.out() + run.err()).isNotEmpty();
          assertThat(lines.get(lines.size() - 1)).startsWith("{\"type\":\"summary\",\"version\":2,");
          assertThat(lines.subList(0, lines.size() - 1)).noneMatch(l -> l.contains("\"summary\""));
          assertThat(lines).filteredOn(l -> l.contains("\"gid\":\"" + gid + "\"")).singleElement()
              .asString()
              .contains("\"blocks\":[{\"pid\":" + waiter.pid() + ",\"user\":\"postgres\",\"state\":\"active\","
                  + "\"query\":\"select * from " + table + "\",\"waiting_ms\":")
              .contains("\"hint\":\"ROLLBACK PREPARED '" + gid + "'\"");
        }
        assertThat(server.hasBackend(waiter.pid())).isTrue();
      } finally {
        server.execute("rollback prepared '" + gid + "'");
      }
    }
  }

  @Test
  void anIdListOfSessionsWhoseBackendStartIsHiddenWarnsThatItCannotBeReplayedSafely()
      throws Exception {
    String plain = server.createRole("plain", "");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      // Its backend type is hidden too: only --backend-type any lists it (see the hint test).
      Run ids = Run.of(server.argsAs(plain, "--list", "-o", "id", "-u", other, "--backend-type", "any"));

      assertThat(ids.status()).as(ids.err()).isZero();
      assertThat(ids.out()).isEqualTo(victim.pid() + "\n");
      assertThat(ids.err().lines()).singleElement().asString()
          .isEqualTo("pgkill: warning: 1 PID is printed without @BACKEND_START, which is hidden from"
              + " pgkill's role (grant pg_read_all_stats or pg_monitor): it cannot be replayed"
              + " safely");
    }
  }

  @Test
  void aHiddenQueryIsNullInJsonLikeEveryOtherHiddenField() throws Exception {
    String plain = server.createRole("plain", "");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      Run json = Run.of(
          server.argsAs(plain, "--list", "-o", "json", "-u", other, "--backend-type", "any"));
      java.util.Map<String, Object> session = json(json.out().lines().findFirst().orElseThrow());
      assertThat(session).containsEntry("pid", victim.pid()).containsEntry("user", other)
          .containsEntry("backend_start", null).containsEntry("state", null)
          .containsEntry("query", null);
      assertThat(json.out()).endsWith("{\"type\":\"summary\",\"version\":2,\"sessions\":1}\n");
      assertThat(json.err()).isEmpty();
    }
  }

  private static int preparedCount(Connection connection, String gid) throws SQLException {
    try (var statement =
        connection.prepareStatement("select count(*) from pg_prepared_xacts where gid = ?")) {
      statement.setString(1, gid);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getInt(1);
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
      assertThat(run.lineOf(holder.pid())).containsPattern("idle in transaction .* [3-9]\\d xmin ");
      assertThat(run.out()).doesNotContain(young.pid() + " ");
    }
  }

  @Test
  void xminOlderThanFindsAnIdleWriterByItsXidAndTerminatesIt() throws Exception {
    String table = "writer_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (x int)");
    String app = unique("writer");
    try (Victim writer = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Connection burner = server.connect(PostgresServer.SUPERUSER)) {
      writer.run("begin").run("insert into " + table + " values (1)");
      // Between statements a read-committed writer holds no snapshot: only its own xid.
      assertThat(server.queryString(PostgresServer.SUPERUSER,
          "select backend_xmin is null and backend_xid is not null from pg_stat_activity"
              + " where pid = " + writer.pid())).isEqualTo("t");
      burnTransactionIds(burner, 30);

      Run list = Run.of(server.args("--list", "--xmin-older-than", "20", "-a", app));

      assertThat(list.status()).as(list.out() + list.err()).isZero();
      assertThat(list.out()).contains("XMIN AGE");
      assertThat(list.lineOf(writer.pid())).containsPattern("idle in transaction .* \\d{2,} xid ");

      Run json = Run.of(server.args("--list", "--xmin-older-than", "20", "-a", app, "-o", "json"));
      var session = json(json.out().lines().findFirst().orElseThrow());
      assertThat(session).containsEntry("pid", writer.pid()).containsEntry("horizon", "backend_xid");
      assertThat((Integer) session.get("xmin_age")).isGreaterThanOrEqualTo(30);

      Run run = Run.of(server.args("-t", "--yes", "--xmin-older-than", "20", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(writer.pid())).contains("xid", "signalled");
      assertThat(writer.errorOf("select 1").getSQLState()).isEqualTo("57P01");
    }
  }

  @Test
  void xminOlderThanNamesThePreparedTransactionsAndSlotsItCannotSignal() throws Exception {
    // A logical slot gets its catalog_xmin when it is made, which needs wal_level=logical: a
    // server of its own, where nothing else runs while the slot waits for a consistent start.
    try (PostgresServer logical = PostgresServer.start(
            java.util.Map.of("wal_level", "logical", "max_prepared_transactions", "2"))) {
      logical.execute("create table held (x int)");
      logical.execute("select pg_create_logical_replication_slot('pgkill_slot', 'test_decoding')");
      try (Connection preparer = logical.connect(PostgresServer.SUPERUSER);
          Statement statement = preparer.createStatement()) {
        statement.execute("begin");
        statement.execute("insert into held values (1)");
        statement.execute("prepare transaction 'pgkill-old'");
      }
      try (Connection burner = logical.connect(PostgresServer.SUPERUSER)) {
        burnTransactionIds(burner, 30);
      }
      try {
        Run list = Run.of(logical.args("--list", "--xmin-older-than", "20"));

        assertThat(list.status()).as(list.out() + list.err()).isZero();
        assertThat(list.out())
            .contains("prepared transaction 'pgkill-old' (owner postgres, database postgres) holds"
                + " back vacuum: its transaction is ")
            .contains("never signalled (no session to signal); end it with ROLLBACK PREPARED"
                + " 'pgkill-old'")
            .contains("replication slot 'pgkill_slot' (logical, database postgres, inactive) holds"
                + " back vacuum: its catalog_xmin is ")
            .contains("drop it with SELECT pg_drop_replication_slot('pgkill_slot')");

        Run json = Run.of(logical.args("--list", "--xmin-older-than", "20", "-o", "json"));
        List<java.util.Map<String, Object>> holders = json.out().lines().map(PgkillIT::json)
            .filter(line -> "horizon_holder".equals(line.get("type"))).toList();
        assertThat(holders).hasSize(2);
        assertThat(holders.get(0)).containsEntry("holder", "prepared_transaction")
            .containsEntry("name", "pgkill-old").containsEntry("owner", "postgres")
            .containsEntry("horizon", "transaction")
            .containsEntry("hint", "ROLLBACK PREPARED 'pgkill-old'");
        assertThat(holders.get(1)).containsEntry("holder", "replication_slot")
            .containsEntry("name", "pgkill_slot").containsEntry("slot_type", "logical")
            .containsEntry("active_pid", null).containsEntry("horizon", "catalog_xmin");
        assertThat((Integer) holders.get(1).get("xmin_age")).isGreaterThanOrEqualTo(30);

        // Both views are readable by every role.
        String plain = logical.createRole("plain", "");
        Run asPlain = Run.of(logical.argsAs(plain, "--list", "--xmin-older-than", "20"));
        assertThat(asPlain.status()).as(asPlain.out() + asPlain.err()).isZero();
        assertThat(asPlain.out()).contains("'pgkill-old'", "'pgkill_slot'");

        Run young = Run.of(logical.args("--list", "--xmin-older-than", "100000"));
        assertThat(young.status()).isEqualTo(1);
        assertThat(young.out()).doesNotContain("pgkill-old", "pgkill_slot");

        Run run = Run.of(logical.args("-t", "--yes", "--xmin-older-than", "20"));

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("ROLLBACK PREPARED 'pgkill-old'",
            "pg_drop_replication_slot('pgkill_slot')");
        assertThat(logical.queryString(PostgresServer.SUPERUSER,
            "select count(*) from pg_prepared_xacts where gid = 'pgkill-old'")).isEqualTo("1");
        assertThat(logical.queryString(PostgresServer.SUPERUSER,
            "select count(*) from pg_replication_slots where slot_name = 'pgkill_slot'"))
            .isEqualTo("1");
      } finally {
        logical.execute("rollback prepared 'pgkill-old'");
        logical.execute("select pg_drop_replication_slot('pgkill_slot')");
      }
    }
  }

  @Test
  void aLockCycleIsShownByBlockersAndEndingOneMemberFreesTheOther() throws Exception {
    String table = "cycle_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (id int primary key, x int)");
    server.execute("insert into " + table + " values (1, 0), (2, 0)");
    String app = unique("cycle");
    try (Victim older = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim younger = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      // A superuser may set it per session: the server's own deadlock check must not end the
      // cycle during the test.
      older.run("set deadlock_timeout = '10min'").run("begin")
          .run("update " + table + " set x = 1 where id = 1");
      younger.run("set deadlock_timeout = '10min'").run("begin")
          .run("update " + table + " set x = 2 where id = 2");
      older.queueFor("update " + table + " set x = 1 where id = 2");
      younger.queueFor("update " + table + " set x = 2 where id = 1");

      Run list = Run.of(server.args("--list", "--blockers", "-a", app));

      assertThat(list.status()).as(list.out() + list.err()).isZero();
      List<String> lines = list.out().lines().toList();
      assertThat(lines.get(1)).startsWith(younger.pid() + " ");
      assertThat(lines.get(2)).isEqualTo("  ↻ lock cycle: " + younger.pid() + " waits for "
          + older.pid() + ", which waits for " + younger.pid() + "; ending " + younger.pid()
          + " breaks it");
      assertThat(lines.get(3)).startsWith("  └─ " + older.pid() + "  postgres  waiting ");
      assertThat(list.out()).endsWith("1 session\n");

      Run json = Run.of(server.args("--list", "--blockers", "-a", app, "-o", "json"));
      assertThat(json.out().lines().findFirst().orElseThrow())
          .contains("\"blocks\":[{\"pid\":" + older.pid())
          .contains("\"cycle\":[" + younger.pid() + "," + older.pid() + "]");

      Run run = Run.of(server.args("-t", "--yes", "--blockers", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(younger.pid())).contains("signalled");
      assertThat(run.out()).doesNotContain(older.pid() + " ");
      assertThat(younger.failure().getSQLState()).isEqualTo("57P01");
      older.awaitSuccess();
      assertThat(older.usable()).isTrue();
    }
  }

  /** Uses up transaction IDs, one per statement, so that older ones age. */
  private static void burnTransactionIds(Connection connection, int count) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (int i = 0; i < count; i++) {
        statement.execute("select txid_current()");
      }
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
