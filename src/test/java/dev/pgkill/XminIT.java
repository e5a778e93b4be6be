package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Fixtures;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --xmin-older-than: what holds back vacuum, including what pgkill cannot signal. */
@ExtendWith(PostgresExtension.class)
class XminIT {
  private final PostgresServer server;

  XminIT(PostgresServer server) {
    this.server = server;
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
      assertThat(
              server.queryString(
                  PostgresServer.SUPERUSER,
                  "select backend_xmin is null and backend_xid is not null from pg_stat_activity"
                      + " where pid = "
                      + writer.pid()))
          .isEqualTo("t");
      burnTransactionIds(burner, 30);

      Run list = Run.of(server.args("--list", "--xmin-older-than", "20", "-a", app));

      assertThat(list.status()).as(list.out() + list.err()).isZero();
      assertThat(list.out()).contains("XMIN AGE");
      assertThat(list.lineOf(writer.pid())).containsPattern("idle in transaction .* \\d{2,} xid ");

      Run json = Run.of(server.args("--list", "--xmin-older-than", "20", "-a", app, "-o", "json"));
      var session = json(json.out().lines().findFirst().orElseThrow());
      assertThat(session)
          .containsEntry("pid", writer.pid())
          .containsEntry("horizon", "backend_xid");
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
    try (PostgresServer logical =
        PostgresServer.start(
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
            .contains(
                "prepared transaction 'pgkill-old' (owner postgres, database postgres) holds"
                    + " back vacuum: its transaction is ")
            .contains(
                "never signalled (no session to signal); end it with ROLLBACK PREPARED"
                    + " 'pgkill-old'")
            .contains(
                "replication slot 'pgkill_slot' (logical, database postgres, inactive) holds"
                    + " back vacuum: its catalog_xmin is ")
            .contains("drop it with SELECT pg_drop_replication_slot('pgkill_slot')");

        // A cron run of a policy names them too, though its rule signals nothing.
        java.nio.file.Path policy = java.nio.file.Files.createTempFile("policy", ".toml");
        java.nio.file.Files.writeString(
            policy, "[rule.horizon]\nterminate = true\nxmin-older-than = \"20\"\n");
        Run cron = Run.of(logical.args("--policy", policy.toString(), "--lock", policy + ".lock"));
        assertThat(cron.out())
            .as(cron.err())
            .startsWith("rule horizon\n")
            .contains("end it with ROLLBACK PREPARED 'pgkill-old'");

        Run json = Run.of(logical.args("--list", "--xmin-older-than", "20", "-o", "json"));
        List<java.util.Map<String, Object>> holders =
            json.out()
                .lines()
                .map(Fixtures::json)
                .filter(line -> "horizon_holder".equals(line.get("type")))
                .toList();
        assertThat(holders).hasSize(2);
        assertThat(holders.get(0))
            .containsEntry("holder", "prepared_transaction")
            .containsEntry("name", "pgkill-old")
            .containsEntry("owner", "postgres")
            .containsEntry("horizon", "transaction")
            .containsEntry("hint", "ROLLBACK PREPARED 'pgkill-old'");
        assertThat(holders.get(1))
            .containsEntry("holder", "replication_slot")
            .containsEntry("name", "pgkill_slot")
            .containsEntry("slot_type", "logical")
            .containsEntry("active_pid", null)
            .containsEntry("horizon", "catalog_xmin");
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
        assertThat(run.out())
            .contains("ROLLBACK PREPARED 'pgkill-old'", "pg_drop_replication_slot('pgkill_slot')");
        assertThat(
                logical.queryString(
                    PostgresServer.SUPERUSER,
                    "select count(*) from pg_prepared_xacts where gid = 'pgkill-old'"))
            .isEqualTo("1");
        assertThat(
                logical.queryString(
                    PostgresServer.SUPERUSER,
                    "select count(*) from pg_replication_slots where slot_name = 'pgkill_slot'"))
            .isEqualTo("1");
      } finally {
        logical.execute("rollback prepared 'pgkill-old'");
        logical.execute("select pg_drop_replication_slot('pgkill_slot')");
      }
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
}
