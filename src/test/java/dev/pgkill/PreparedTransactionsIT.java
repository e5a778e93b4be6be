package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Fixtures;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --prepared-older-than: prepared transactions listed with a hint, never rolled back. */
@ExtendWith(PostgresExtension.class)
class PreparedTransactionsIT {
  private final PostgresServer server;

  PreparedTransactionsIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void listsAPreparedTransactionWithAPasteableHintAndNeverRollsItBack() throws Exception {
    String table = "prepared_" + Long.toHexString(System.nanoTime());
    String gid = "pgkill-it's-" + table;
    String literal = "'pgkill-it''s-" + table + "'";
    server.execute("create table " + table + " (x int)");
    try (Victim preparer = Victim.connect(server, PostgresServer.SUPERUSER);
        Connection admin = server.connect(PostgresServer.SUPERUSER)) {
      preparer
          .run("begin")
          .run("insert into " + table + " values (1)")
          .run("prepare transaction " + literal);
      try {
        Run list = Run.of(server.args("--list", "--prepared-older-than", "0s"));

        assertThat(list.status()).as(list.out() + list.err()).isZero();
        String line =
            list.out()
                .lines()
                .filter(l -> l.contains(table))
                .findFirst()
                .orElseThrow(() -> new AssertionError(list.out() + list.err()));
        assertThat(line)
            .startsWith("prepared transaction " + literal + " (owner postgres, database postgres)")
            .containsPattern(", prepared \\d+(ms|s) ago;")
            .endsWith("end it with ROLLBACK PREPARED " + literal);
        assertThat(list.out()).as("no table of sessions").doesNotContain("PID", "sessions\n");

        Run json = Run.of(server.args("--list", "--prepared-older-than", "0s", "-o", "json"));
        List<Map<String, Object>> holders =
            json.out()
                .lines()
                .map(Fixtures::json)
                .filter(holder -> gid.equals(holder.get("name")))
                .toList();
        assertThat(holders).hasSize(1);
        assertThat(holders.get(0))
            .containsEntry("type", "horizon_holder")
            .containsEntry("holder", "prepared_transaction")
            .containsEntry("owner", "postgres")
            .containsEntry("database", "postgres")
            .containsEntry("hint", "ROLLBACK PREPARED " + literal);
        assertThat(holders.get(0).get("age_ms")).isInstanceOf(Number.class);

        Run young = Run.of(server.args("--list", "--prepared-older-than", "1h"));
        assertThat(young.status()).as(young.out() + young.err()).isEqualTo(1);
        assertThat(young.out()).doesNotContain(table);

        Run signal = Run.of(server.args("-t", "--yes", "--prepared-older-than", "0s"));
        assertThat(signal.status()).isEqualTo(2);
        assertThat(signal.err()).contains("--prepared-older-than chooses no session to signal");

        assertThat(preparedCount(admin, gid)).as("never rolled back").isEqualTo(1);
        // The hint, pasted as is, is what ends it.
        try (Statement statement = admin.createStatement()) {
          statement.execute("ROLLBACK PREPARED " + literal);
        }
        assertThat(preparedCount(admin, gid)).isZero();
      } finally {
        if (preparedCount(admin, gid) > 0) {
          server.execute("rollback prepared " + literal);
        }
      }
    }
  }

  private static int preparedCount(Connection admin, String gid) throws SQLException {
    try (var statement =
        admin.prepareStatement("select count(*) from pg_prepared_xacts where gid = ?")) {
      statement.setString(1, gid);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }
}
