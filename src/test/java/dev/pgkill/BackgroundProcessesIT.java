package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.DisabledIfServerVersionBelow;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Processes that are not client backends: auxiliary processes, walsenders, autovacuum and parallel
 * workers.
 */
@ExtendWith(PostgresExtension.class)
class BackgroundProcessesIT {
  private final PostgresServer server;

  BackgroundProcessesIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void auxiliaryProcessIsProtected() throws Exception {
    int checkpointer = server.pidOf("checkpointer");
    Run run = Run.of(server.args("--terminate", Integer.toString(checkpointer)));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.lineOf(checkpointer))
        .contains(
            "checkpointer",
            "not signalled: a checkpointer, not a client backend (--backend-type chooses others)");
    assertThat(server.hasBackend(checkpointer)).isTrue();
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
    try (Connection replication =
        java.sql.DriverManager.getConnection(
            "jdbc:postgresql://localhost:" + server.port() + "/postgres", walsender)) {
      int pid =
          Integer.parseInt(
              server.queryString(
                  PostgresServer.SUPERUSER,
                  "select pid from pg_stat_activity where backend_type = 'walsender' and usename = '"
                      + replicator
                      + "'"));

      Run named =
          Run.of(server.argsAs(signaller, "--terminate", "--unverified", Integer.toString(pid)));
      Run filtered =
          Run.of(server.argsAs(signaller, "--terminate", "--unverified", "-u", replicator, "-y"));

      assertThat(named.status()).isEqualTo(1);
      assertThat(named.lineOf(pid))
          .contains("walsender", "not signalled: a walsender, not a client backend");
      assertThat(filtered.status()).as(filtered.out()).isEqualTo(1);
      assertThat(filtered.out()).doesNotContain(Integer.toString(pid));
      assertThat(server.hasBackend(pid)).isTrue();
      assertThat(replication.isValid(2)).isTrue();
    }
  }

  @Test
  void autovacuumWorkersNeedTheirOwnPrivilegeFrom18() throws Exception {
    try (PostgresServer vacuuming =
        PostgresServer.start(java.util.Map.of("autovacuum_naptime", "1"))) {
      // A vacuum slowed to a crawl, so that its worker stays long enough to be signalled.
      vacuuming.execute(
          "create table crawl (x int) with (autovacuum_vacuum_cost_delay = 100,"
              + " autovacuum_vacuum_cost_limit = 1)");
      vacuuming.execute("insert into crawl select generate_series(1, 100000)");
      vacuuming.execute("delete from crawl");
      // The worker crawling through that table, not one passing quickly over a catalog.
      String crawler =
          "select pid from pg_stat_activity where backend_type = 'autovacuum worker'"
              + " and query like '%crawl%'";
      PostgresServer.await(
          "an autovacuum worker on table crawl",
          java.time.Duration.ofSeconds(30),
          () -> {
            try {
              return vacuuming.queryString(PostgresServer.SUPERUSER, crawler) != null;
            } catch (SQLException e) {
              return false;
            }
          });
      int worker = Integer.parseInt(vacuuming.queryString(PostgresServer.SUPERUSER, crawler));
      String signaller =
          vacuuming.createRole("signaller", "in role pg_signal_backend, pg_read_all_stats");

      Run dry =
          Run.of(
              vacuuming.argsAs(
                  signaller,
                  "--cancel",
                  "-o",
                  "json",
                  "-n",
                  "--backend-type",
                  "autovacuum worker",
                  Integer.toString(worker)));
      Run denied =
          Run.of(
              vacuuming.argsAs(
                  signaller,
                  "--cancel",
                  "-o",
                  "json",
                  "--backend-type",
                  "autovacuum worker",
                  Integer.toString(worker)));

      var predicted = json(dry.out().lines().findFirst().orElseThrow());
      var line = json(denied.out().lines().findFirst().orElseThrow());
      if (vacuuming.major() == 10) {
        // 10 never got the fix that made role-less processes count as superuser-owned.
        assertThat(predicted).containsEntry("outcome", "would_signal");
        assertThat(line).containsEntry("outcome", "signalled");
        return;
      }
      assertThat(predicted)
          .containsEntry(
              "outcome",
              vacuuming.major() >= 18
                  ? "would_be_refused_autovacuum"
                  : "would_be_refused_superuser");
      assertThat(dry.status()).isEqualTo(1);
      assertThat(denied.status()).isEqualTo(1);
      assertThat(line).containsEntry("outcome", "denied").containsEntry("sqlstate", "42501");
      if (vacuuming.major() >= 18) {
        assertThat(line)
            .containsEntry(
                "detail",
                "Only roles with privileges of the"
                    + " \"pg_signal_autovacuum_worker\" role may cancel autovacuum workers.");
        String vacuumKiller =
            vacuuming.createRole(
                "vacuum_killer", "in role pg_signal_autovacuum_worker, pg_read_all_stats");
        Run allowedDry =
            Run.of(
                vacuuming.argsAs(
                    vacuumKiller,
                    "--cancel",
                    "-n",
                    "--backend-type",
                    "autovacuum worker",
                    Integer.toString(worker)));
        assertThat(allowedDry.status()).as(allowedDry.out() + allowedDry.err()).isZero();
        assertThat(allowedDry.lineOf(worker)).contains("would cancel (dry run)");
        Run allowed =
            Run.of(
                vacuuming.argsAs(
                    vacuumKiller,
                    "--cancel",
                    "--backend-type",
                    "autovacuum worker",
                    Integer.toString(worker)));
        assertThat(allowed.status()).as(allowed.out() + allowed.err()).isZero();
        assertThat(allowed.lineOf(worker)).contains("autovacuum worker", "signalled (");
      }
    }
  }

  @Test
  @DisabledIfServerVersionBelow(value = 13, reason = "leader_pid exists from 13")
  void parallelWorkersAreNeverSignalledOnTheirOwn() throws Exception {
    server.execute("create table if not exists wide as select generate_series(1, 200000) x");
    server.execute(
        "create or replace function slow(int) returns boolean language sql parallel safe"
            + " as 'select pg_sleep(0.0005) is not null'");
    try (Victim leader = Victim.connect(server, PostgresServer.SUPERUSER)) {
      leader
          .run("set max_parallel_workers_per_gather = 2")
          .run("set parallel_setup_cost = 0")
          .run("set parallel_tuple_cost = 0")
          .run("set min_parallel_table_scan_size = 0");
      var query =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> leader.run("select count(*) from wide where slow(x)"));
      PostgresServer.await(
          "parallel workers",
          java.time.Duration.ofSeconds(10),
          () -> {
            try {
              return server
                      .queryString(
                          PostgresServer.SUPERUSER,
                          "select count(*) from pg_stat_activity"
                              + " where backend_type = 'parallel worker' and leader_pid = "
                              + leader.pid())
                      .compareTo("1")
                  >= 0;
            } catch (SQLException e) {
              return false;
            }
          });
      int worker = server.pidOf("parallel worker");

      Run named =
          Run.of(server.args("--terminate", "--backend-type", "any", Integer.toString(worker)));
      Run listed =
          Run.of(
              server.args(
                  "--list", "-o", "pid", "--backend-type", "any", "--query", "slow\\(x\\)"));

      assertThat(named.status()).isEqualTo(1);
      assertThat(named.lineOf(worker))
          .contains(
              "not signalled: a parallel worker of leader PID "
                  + leader.pid()
                  + "; signal the leader instead");
      assertThat(listed.out().lines())
          .contains(Integer.toString(leader.pid()))
          .doesNotContain(Integer.toString(worker));
      assertThat(server.hasBackend(worker)).isTrue();
      server.execute("select pg_cancel_backend(" + leader.pid() + ")");
      query.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Starts a parallel query in this session and returns once the server shows its workers. */
  private java.util.concurrent.CompletableFuture<Void> parallelQuery(Victim leader)
      throws SQLException {
    server.execute("create table if not exists wide as select generate_series(1, 200000) x");
    server.execute("grant select on wide to public");
    server.execute(
        "create or replace function slow(int) returns boolean language sql parallel safe"
            + " as 'select pg_sleep(0.0005) is not null'");
    leader
        .run("set max_parallel_workers_per_gather = 2")
        .run("set parallel_setup_cost = 0")
        .run("set parallel_tuple_cost = 0")
        .run("set min_parallel_table_scan_size = 0");
    var query =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> leader.run("select count(*) from wide where slow(x)"));
    PostgresServer.await(
        "parallel workers",
        java.time.Duration.ofSeconds(10),
        () -> {
          try {
            return server
                    .queryString(
                        PostgresServer.SUPERUSER,
                        "select count(*) from pg_stat_activity"
                            + " where backend_type = 'parallel worker' and leader_pid = "
                            + leader.pid())
                    .compareTo("1")
                >= 0;
          } catch (SQLException e) {
            return false;
          }
        });
    return query;
  }

  @Test
  @DisabledIfServerVersionBelow(value = 13, reason = "leader_pid exists from 13")
  void aRoleThatCannotSeeBackendTypesNeverTakesAParallelWorkerForAClientBackend() throws Exception {
    String other = server.createRole("other", "");
    String signaller = server.createRole("signaller", "in role pg_signal_backend");
    try (Victim leader = Victim.connect(server, other)) {
      var query = parallelQuery(leader);
      int worker =
          Integer.parseInt(
              server.queryString(
                  PostgresServer.SUPERUSER,
                  "select min(pid) from pg_stat_activity where leader_pid = " + leader.pid()));

      Run named =
          Run.of(server.argsAs(signaller, "--terminate", "--unverified", Integer.toString(worker)));
      Run filtered = Run.of(server.argsAs(signaller, "--terminate", "-u", other, "-y"));
      Run listed = Run.of(server.argsAs(signaller, "--list", "-o", "pid", "-u", other));

      assertThat(named.status()).isEqualTo(1);
      assertThat(named.lineOf(worker))
          .contains(
              other,
              "not signalled: its backend type is hidden from pgkill's role, so it may not be a client backend");
      assertThat(filtered.status()).isEqualTo(1);
      assertThat(filtered.out())
          .doesNotContain(Integer.toString(worker))
          .doesNotContain(Integer.toString(leader.pid()));
      assertThat(filtered.err())
          .contains(
              "sessions of other roles were left out: role "
                  + signaller
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
    Run dry =
        Run.of(
            server.args(
                "--terminate", "-n", "--backend-type", "any", Integer.toString(checkpointer)));
    Run real =
        Run.of(server.args("--terminate", "--backend-type", "any", Integer.toString(checkpointer)));

    assertThat(dry.status()).isEqualTo(1);
    assertThat(dry.lineOf(checkpointer))
        .contains(
            "would be refused: the server never signals a checkpointer, an auxiliary process");
    assertThat(dry.out())
        .endsWith("dry run: would terminate 0 of 1 target; nothing was signalled\n");
    assertThat(real.status()).isEqualTo(1);
    assertThat(real.lineOf(checkpointer))
        .contains("returned false, WARNING 01000: PID " + checkpointer + " is not a");
    assertThat(server.hasBackend(checkpointer)).isTrue();
  }
}
