package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.CuttingProxy;
import dev.pgkill.testing.PgkillSession;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lost connections, restarts and unreachable servers: pgkill still says what it did and what it did
 * not.
 */
@ExtendWith(PostgresExtension.class)
class FaultsIT {
  private final PostgresServer server;

  FaultsIT(PostgresServer server) {
    this.server = server;
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
          .contains(
              "unknown: the connection was lost while signalling; the signal may have been sent");
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
        assertThat(run.lineOf(victim.pid()))
            .contains("unknown: the connection was lost while signalling");
      }
    }
  }

  private static Run throughProxy(CuttingProxy proxy, String role, Victim... victims) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-h", "127.0.0.1", "-p", Integer.toString(proxy.port()), "-U", role, "--cancel"));
    for (Victim victim : victims) {
      args.add(Integer.toString(victim.pid()));
    }
    return Run.with(
        java.util.Map.of("PGSSLMODE", "disable"),
        "",
        dev.pgkill.cli.Terminal.NONE,
        args.toArray(String[]::new));
  }

  @Test
  void connectionLostWhileWaitingStillReportsWhatWasSignalled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        CuttingProxy proxy = new CuttingProxy(server.port(), "set_config('statement_timeout'", 1)) {
      Run run =
          Run.with(
              java.util.Map.of("PGSSLMODE", "disable"),
              "",
              dev.pgkill.cli.Terminal.NONE,
              "-h",
              "127.0.0.1",
              "-p",
              Integer.toString(proxy.port()),
              "-U",
              PostgresServer.SUPERUSER,
              "--cancel",
              "--wait=2s",
              Integer.toString(victim.pid()));

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
      CompletableFuture<Run> running =
          CompletableFuture.supplyAsync(
              () ->
                  Run.of(
                      server.argsAs(
                          role,
                          "--cancel",
                          "--wait=60s",
                          "-o",
                          "json",
                          Integer.toString(idle.pid()))));
      // Another DBA (or a fast shutdown) ends pgkill's session: FATAL 57P01 on its next poll.
      int pgkill = PgkillSession.awaitWaiting(server, role);
      server.execute("select pg_terminate_backend(" + pgkill + ")");
      Run run = running.get(30, TimeUnit.SECONDS);

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(3);
      List<String> lines = run.out().lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .contains(
              "\"pid\":" + idle.pid(),
              "\"signalled\":true",
              "\"outcome\":\"signalled\"",
              "\"wait\":\"connection_lost\"");
      long waited = Long.parseLong(lines.get(0).replaceFirst(".*\"waited_ms\":(\\d+).*", "$1"));
      assertThat(waited)
          .as("waited as long as it really did, not the whole timeout")
          .isLessThan(60_000);
      assertThat(lines.get(1)).contains("\"type\":\"summary\"", "\"signalled\":1", "\"ended\":0");
      assertThat(idle.usable()).isTrue();
    }
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
  void unreachableServerIsFatalInOneLineNamingWhatWasTried() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run run =
        Run.of("-h", "localhost", "-p", Integer.toString(closedPort), "-U", "alice", "-c", "42");

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: could not connect to host=localhost port="
                + closedPort
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
}
