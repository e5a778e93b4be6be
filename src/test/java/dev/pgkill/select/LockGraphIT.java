package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.select.LockGraph.Blocked;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.helpers.NOPLogger;

/**
 * A real lock queue: A holds a lock in an open transaction, B wants ACCESS EXCLUSIVE on the same
 * table and waits for A, C wants a plain read and is queued behind B.
 */
@ExtendWith(PostgresExtension.class)
class LockGraphIT {
  private final PostgresServer server;

  LockGraphIT(PostgresServer server) {
    this.server = server;
  }

  private LockGraph read() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      return new LockGraphReader(connection, ServerVersion.of(connection), NOPLogger.NOP_LOGGER)
          .read();
    }
  }

  /**
   * The reader asks the server nothing about its version: the pass read it once and hands it on.
   * Told the server is 13 (no pg_locks.waitstart), it times a wait from the waiting query's start,
   * a second before the lock wait began, even on a server that has waitstart.
   */
  @Test
  void theVersionHandedInDecidesHowWaitsAreTimed() throws Exception {
    String table = "timed_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (x int)");
    try (Victim a = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim b = Victim.connect(server, PostgresServer.SUPERUSER)) {
      a.run("begin").run("lock table " + table + " in access exclusive mode");
      b.queueFor("do $$ begin perform pg_sleep(1); perform * from " + table + "; end $$");

      LockGraph graph;
      try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
        graph =
            new LockGraphReader(connection, new ServerVersion(130000), NOPLogger.NOP_LOGGER).read();
      }

      assertThat(graph.waits())
          .filteredOn(w -> w.pid() == b.pid())
          .singleElement()
          .satisfies(w -> assertThat(w.waiting()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
    }
  }

  @Test
  void theRootIsTheHolderAndTheQueueHangsBelowIt() throws Exception {
    String table = "queue_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (x int)");
    try (Victim a = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim b = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim c = Victim.connect(server, PostgresServer.SUPERUSER)) {
      a.run("begin").run("select * from " + table);
      b.queueFor("alter table " + table + " add column y int"); // ACCESS EXCLUSIVE
      c.queueFor("select * from " + table);

      LockGraph graph = read();

      assertThat(graph.roots()).contains(a.pid()).doesNotContain(b.pid(), c.pid());
      List<Blocked> underA = graph.blockedBy(a.pid());
      assertThat(underA).extracting(x -> x.waiter().pid()).containsExactly(b.pid());
      assertThat(underA.get(0).blocks()).extracting(x -> x.waiter().pid()).containsExactly(c.pid());
      assertThat(graph.rootsBlockingLongerThan(Optional.of(Duration.ofHours(1))))
          .doesNotContain(a.pid());
      assertThat(graph.rootsBlockingLongerThan(Optional.of(Duration.ZERO))).contains(a.pid());
    }
  }

  @Test
  void aPreparedTransactionIsNamedByItsGidAndIsNoRoot() throws Exception {
    String table = "prepared_" + Long.toHexString(System.nanoTime());
    String gid = "pgkill-test-" + table + "-it's";
    server.execute("create table " + table + " (x int)");
    try (Victim holder = Victim.connect(server, PostgresServer.SUPERUSER);
        Victim waiter = Victim.connect(server, PostgresServer.SUPERUSER)) {
      holder
          .run("begin")
          .run("lock table " + table + " in access exclusive mode")
          .run("prepare transaction '" + gid.replace("'", "''") + "'");
      waiter.queueFor("select * from " + table);
      try {
        LockGraph graph = read();

        assertThat(graph.roots()).doesNotContain(0, waiter.pid(), holder.pid());
        assertThat(graph.prepared())
            .anySatisfy(
                p -> {
                  assertThat(p.gid()).isEqualTo(gid);
                  assertThat(p.blocks()).containsExactly(waiter.pid());
                  assertThat(p.hint())
                      .isEqualTo("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
                });
      } finally {
        try (Connection admin = server.connect(PostgresServer.SUPERUSER);
            Statement statement = admin.createStatement()) {
          statement.execute("rollback prepared '" + gid.replace("'", "''") + "'");
        }
      }
    }
  }
}
