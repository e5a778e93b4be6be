package dev.pgkill;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --blockers: the roots of lock queues, lock cycles, and prepared transactions in the way. */
@ExtendWith(PostgresExtension.class)
class BlockersIT {
  private final PostgresServer server;

  BlockersIT(PostgresServer server) {
    this.server = server;
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
      b.queueFor("alter table " + table + " add column y int"); // ACCESS EXCLUSIVE
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
      holder
          .run("begin")
          .run("lock table " + table + " in access exclusive mode")
          .run("prepare transaction '" + gid + "'");
      waiter.queueFor("select * from " + table);
      try {
        Run run = Run.of(server.args("--terminate", "--blockers", "--yes"));

        assertThat(run.out())
            .contains(
                "prepared transaction '" + gid + "'",
                "end it with ROLLBACK PREPARED '" + gid + "'");
        assertThat(server.hasBackend(waiter.pid())).isTrue();
        assertThat(
                server.queryString(
                    PostgresServer.SUPERUSER,
                    "select count(*) from pg_prepared_xacts where gid = '" + gid + "'"))
            .isEqualTo("1");
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
      holder
          .run("begin")
          .run("lock table " + table + " in access exclusive mode")
          .run("prepare transaction E'pgkill-\\x1b[31mred\\nline it''s \\\\ back-" + table + "'");
      assertThat(preparedCount(admin, gid)).as("the hostile gid was prepared").isEqualTo(1);
      waiter.queueFor("select * from " + table);
      try {
        Run run = Run.of(server.args("--list", "--blockers"));

        String literal = "E'pgkill-\\x1b[31mred\\nline it''s \\\\ back-" + table + "'";
        assertThat(run.out())
            .doesNotContain("\u001b")
            .contains(
                "prepared transaction "
                    + literal
                    + " (owner postgres, database postgres)"
                    + " blocks "
                    + waiter.pid()
                    + ": never signalled");
        String line = run.out().lines().filter(l -> l.contains(table)).findFirst().orElseThrow();
        String hint = line.substring(line.indexOf("end it with ") + "end it with ".length());
        assertThat(hint).isEqualTo("ROLLBACK PREPARED " + literal);
        assertThat(run.out()).endsWith("0 sessions\n");

        try (Statement statement = admin.createStatement()) {
          statement.execute(hint);
        }
        assertThat(preparedCount(admin, gid)).as("the pasted hint rolled it back").isZero();
        PostgresServer.await(
            "the waiter to get its lock",
            java.time.Duration.ofSeconds(10),
            () -> {
              try {
                return "0"
                    .equals(
                        server.queryString(
                            PostgresServer.SUPERUSER,
                            "select count(*) from pg_locks where not granted and pid = "
                                + waiter.pid()));
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
      holder
          .run("begin")
          .run("lock table " + table + " in access exclusive mode")
          .run("prepare transaction '" + gid + "'");
      waiter.queueFor("select * from " + table);
      try {
        for (String action : List.of("--list", "--terminate")) {
          Run run = Run.of(server.args(action, "--blockers", "-o", "json"));

          List<String> lines = run.out().lines().toList();
          assertThat(lines).as(run.out() + run.err()).isNotEmpty();
          assertThat(lines.get(lines.size() - 1))
              .startsWith("{\"type\":\"summary\",\"version\":2,");
          assertThat(lines.subList(0, lines.size() - 1)).noneMatch(l -> l.contains("\"summary\""));
          assertThat(lines)
              .filteredOn(l -> l.contains("\"gid\":\"" + gid + "\""))
              .singleElement()
              .asString()
              .contains(
                  "\"blocks\":[{\"pid\":"
                      + waiter.pid()
                      + ",\"user\":\"postgres\",\"state\":\"active\","
                      + "\"query\":\"select * from "
                      + table
                      + "\",\"waiting_ms\":")
              .contains("\"hint\":\"ROLLBACK PREPARED '" + gid + "'\"");
        }
        assertThat(server.hasBackend(waiter.pid())).isTrue();
      } finally {
        server.execute("rollback prepared '" + gid + "'");
      }
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
  void aLockCycleIsShownByBlockersAndEndingOneMemberFreesTheOther() throws Exception {
    String table = "cycle_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (id int primary key, x int)");
    server.execute("insert into " + table + " values (1, 0), (2, 0)");
    String app = unique("cycle");
    try (Victim older = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim younger = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      // A superuser may set it per session: the server's own deadlock check must not end the
      // cycle during the test.
      older
          .run("set deadlock_timeout = '10min'")
          .run("begin")
          .run("update " + table + " set x = 1 where id = 1");
      younger
          .run("set deadlock_timeout = '10min'")
          .run("begin")
          .run("update " + table + " set x = 2 where id = 2");
      older.queueFor("update " + table + " set x = 1 where id = 2");
      younger.queueFor("update " + table + " set x = 2 where id = 1");

      Run list = Run.of(server.args("--list", "--blockers", "-a", app));

      assertThat(list.status()).as(list.out() + list.err()).isZero();
      List<String> lines = list.out().lines().toList();
      assertThat(lines.get(1)).startsWith(younger.pid() + " ");
      assertThat(lines.get(2))
          .isEqualTo(
              "  ↻ lock cycle: "
                  + younger.pid()
                  + " waits for "
                  + older.pid()
                  + ", which waits for "
                  + younger.pid()
                  + "; ending "
                  + younger.pid()
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
}
