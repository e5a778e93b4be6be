package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --waiting-longer-than, and the lock each waiter waits for in the --blockers tree. */
@ExtendWith(PostgresExtension.class)
class LockWaitsIT {
  private final PostgresServer server;

  LockWaitsIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void waitingLongerThanChoosesAWaiterByHowLongItHasWaitedAndNamesTheLock() throws Exception {
    String table = "waited_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (x int)");
    String app = unique("waiting");
    try (Victim holder = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim waiter = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Connection admin = server.connect(PostgresServer.SUPERUSER)) {
      holder.run("begin").run("lock table " + table + " in access exclusive mode");
      waiter.queueFor("insert into " + table + " values (1)");
      awaitWaitedLongerThan(admin, waiter.pid(), "1.5 s");

      Run list = Run.of(server.args("--list", "--waiting-longer-than", "1s", "-a", app));

      assertThat(list.status()).as(list.out() + list.err()).isZero();
      assertThat(list.out()).contains("LOCK WAIT").doesNotContain(holder.pid() + " ");
      assertThat(list.lineOf(waiter.pid()))
          .containsPattern(" \\ds RowExclusiveLock on public\\." + table + " ");

      Run chosen =
          Run.of(
              server.args(
                  "--list",
                  "--waiting-longer-than",
                  "1s",
                  "-a",
                  app,
                  "--columns",
                  "pid,lock_wait"));
      assertThat(chosen.out()).startsWith("PID  ").contains("LOCK WAIT").doesNotContain("USER");
      assertThat(chosen.lineOf(waiter.pid()))
          .containsPattern("^" + waiter.pid() + " +\\ds RowExclusiveLock on public\\." + table);

      Run json =
          Run.of(server.args("--list", "--waiting-longer-than", "1s", "-a", app, "-o", "json"));
      Map<String, Object> session = json(json.out().lines().findFirst().orElseThrow());
      assertThat(session)
          .containsEntry("pid", waiter.pid())
          .containsEntry("lock_mode", "RowExclusiveLock")
          .containsEntry("lock_type", "relation")
          .containsEntry("lock_target", "public." + table);
      assertThat(((Number) session.get("lock_waiting_ms")).longValue()).isGreaterThan(1000);

      Run notYet = Run.of(server.args("--list", "--waiting-longer-than", "5s", "-a", app));
      assertThat(notYet.status()).as(notYet.out() + notYet.err()).isEqualTo(1);
      assertThat(notYet.out()).doesNotContain(waiter.pid() + " ");

      Run run = Run.of(server.args("-t", "--yes", "--waiting-longer-than", "1s", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.lineOf(waiter.pid())).contains("signalled");
      assertThat(run.out()).doesNotContain(holder.pid() + " ");
      assertThat(waiter.failure().getSQLState()).isEqualTo("57P01");
      assertThat(holder.usable()).isTrue();
    }
  }

  @Test
  void blockersTreeShowsTheLockEachWaiterWaitsFor() throws Exception {
    String table = "modes_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (x int)");
    server.execute("insert into " + table + " values (1)");
    String app = unique("modes");
    try (Victim root = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim row = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim relation = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      root.run("begin").run("update " + table + " set x = 2");
      String xid =
          server.queryString(
              PostgresServer.SUPERUSER,
              "select backend_xid from pg_stat_activity where pid = " + root.pid());
      row.queueFor("update " + table + " set x = 3");
      relation.run("begin").queueFor("lock table " + table + " in access exclusive mode");

      Run list = Run.of(server.args("--list", "--blockers", "-a", app));

      assertThat(list.status()).as(list.out() + list.err()).isZero();
      List<String> lines = list.out().lines().toList();
      assertThat(lines.get(1)).startsWith(root.pid() + " ");
      assertThat(lines)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("  └─ " + row.pid() + "  postgres  waiting ")
                      .contains(" for ShareLock on transactionid " + xid + "  update "));
      assertThat(lines)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("└─ " + relation.pid() + "  postgres  waiting ")
                      .contains(" for AccessExclusiveLock on public." + table + "  lock table "));

      Run json = Run.of(server.args("--list", "--blockers", "-a", app, "-o", "json"));
      String first = json.out().lines().findFirst().orElseThrow();
      assertThat(first)
          .contains(
              "\"pid\":"
                  + row.pid()
                  + ",\"user\":\"postgres\",\"state\":\"active\",\"query\":\"update "
                  + table
                  + " set x = 3\",")
          .contains(
              "\"lock_mode\":\"ShareLock\",\"lock_type\":\"transactionid\","
                  + "\"lock_target\":\"transactionid "
                  + xid
                  + "\"")
          .contains(
              "\"lock_mode\":\"AccessExclusiveLock\",\"lock_type\":\"relation\","
                  + "\"lock_target\":\"public."
                  + table
                  + "\"");
    }
  }

  /**
   * Polls, by the server's own clock and as pgkill times it, until the session has waited longer
   * than {@code interval}: pg_locks.waitstart from 14, its query's start before.
   */
  private void awaitWaitedLongerThan(Connection admin, int pid, String interval) {
    String since =
        server.major() >= 14
            ? "(select min(waitstart) from pg_locks where pid = a.pid and not granted)"
            : "a.query_start";
    String sql =
        "select coalesce(now() - "
            + since
            + " > interval '"
            + interval
            + "', false) from pg_stat_activity a where a.pid = "
            + pid;
    PostgresServer.await(
        "backend " + pid + " to wait longer than " + interval,
        Duration.ofSeconds(10),
        () -> {
          try (Statement statement = admin.createStatement();
              ResultSet row = statement.executeQuery(sql)) {
            return row.next() && row.getBoolean(1);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
