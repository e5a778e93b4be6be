package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.LockWait;
import dev.pgkill.select.LockWanted;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockTreeTest {
  private static LockWait wait(int pid, String query, int blocker) {
    return new LockWait(pid, "app", "active", query, Duration.ofSeconds(pid), List.of(blocker));
  }

  @Test
  void theSessionsQueuedBehindOneAreIndentedAsTheyQueue() {
    LockGraph locks =
        new LockGraph(
            List.of(wait(20, "update a set x = 1", 10), wait(30, "update a set x = 2", 20)),
            List.of());

    assertThat(new LockTree(locks, 0).below(10))
        .containsExactly(
            "  └─ 20  app  waiting 20s  update a set x = 1",
            "     └─ 30  app  waiting 30s  update a set x = 2");
  }

  @Test
  void theQueryOfAQueuedSessionIsCutToTheTerminal() {
    LockGraph locks = new LockGraph(List.of(wait(20, "update a set x = 1", 10)), List.of());

    assertThat(new LockTree(locks, 36).below(10))
        .containsExactly("  └─ 20  app  waiting 20s  update...");
  }

  @Test
  void eachQueuedSessionSaysWhichLockItWaitsFor() {
    LockWait onRow =
        new LockWait(
            20,
            "app",
            "active",
            "update a set x = 1",
            Duration.ofSeconds(2),
            List.of(10),
            null,
            new LockWanted("ShareLock", "transactionid", "transactionid 1234"));
    LockWait onTable =
        new LockWait(
            30,
            "app",
            "active",
            "insert into a values (1)",
            Duration.ofSeconds(3),
            List.of(20),
            null,
            new LockWanted("RowExclusiveLock", "relation", "public.orders\u001b[2J"));
    LockGraph locks = new LockGraph(List.of(onRow, onTable), List.of());

    assertThat(new LockTree(locks, 0).below(10))
        .containsExactly(
            "  └─ 20  app  waiting 2s for ShareLock on transactionid 1234  update a set x = 1",
            "     └─ 30  app  waiting 3s for RowExclusiveLock on public.orders\\x1b[2J  insert"
                + " into a values (1)");
  }

  @Test
  void aSessionNobodyWaitsForHasNothingBelowIt() {
    assertThat(new LockTree(LockGraph.NONE, 80).below(10)).isEmpty();
  }
}
