package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.LockWait;
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
  void aSessionNobodyWaitsForHasNothingBelowIt() {
    assertThat(new LockTree(LockGraph.NONE, 80).below(10)).isEmpty();
  }
}
