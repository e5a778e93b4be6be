package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.LockGraph.LockWait;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Lock cycles, which have no root: what stands for them. Real cycles are in BlockersIT. */
class LockGraphTest {
  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-25T20:30:00Z");

  private static LockWait wait(
      int pid, int startedSecondsAfterT0, long waitedSeconds, Integer... blockers) {
    return new LockWait(
        pid,
        "app",
        "active",
        "update t ...",
        Duration.ofSeconds(waitedSeconds),
        List.of(blockers),
        startedSecondsAfterT0 < 0 ? null : T0.plusSeconds(startedSecondsAfterT0));
  }

  private static LockGraph graph(LockWait... waits) {
    return new LockGraph(List.of(waits), List.of());
  }

  @Test
  void twoSessionsWaitingForEachOtherHaveNoRootAndTheYoungerTransactionStandsForThem() {
    LockGraph graph = graph(wait(10, 0, 30, 11), wait(11, 5, 20, 10), wait(12, 9, 1, 10));

    assertThat(graph.roots()).isEmpty();
    assertThat(graph.cycleBreakers()).containsExactly(11);
    assertThat(graph.rootsBlockingLongerThan(Optional.empty())).containsExactly(11);
    assertThat(graph.cycleOf(11)).containsExactly(11, 10);
    assertThat(graph.cycleOf(10)).containsExactly(10, 11);
    assertThat(graph.cycleOf(12)).isEmpty();
    // 12 waits for 10 only, so it is not on the cycle, but it is queued behind it.
    assertThat(graph.blockedBy(11)).extracting(b -> b.waiter().pid()).containsExactly(10);
    assertThat(graph.blockedBy(11).get(0).blocks())
        .extracting(b -> b.waiter().pid())
        .containsExactly(12);
  }

  @Test
  void aHiddenTransactionStartComesAfterTheVisibleOnesThenTheHighestPid() {
    assertThat(graph(wait(10, 0, 1, 11), wait(11, -1, 1, 10)).cycleBreakers()).containsExactly(10);
    assertThat(graph(wait(10, -1, 1, 11), wait(11, -1, 1, 10)).cycleBreakers()).containsExactly(11);
  }

  @Test
  void cyclesSharingASessionAreAllBroken() {
    // 20 <-> 21 <-> 22: ending 22, the youngest, leaves 20 <-> 21, so 21 goes too.
    LockGraph graph = graph(wait(20, 0, 9, 21), wait(21, 1, 9, 20, 22), wait(22, 2, 9, 21));

    assertThat(graph.cycleBreakers()).containsExactly(21, 22);
  }

  @Test
  void aCycleHangingOffARootKeepsBoth() {
    // 31 waits for the root 30 and for 32; 32 waits for 31: ending 30 alone frees no one.
    LockGraph graph = graph(wait(31, 0, 9, 30, 32), wait(32, 1, 9, 31));

    assertThat(graph.roots()).containsExactly(30);
    assertThat(graph.rootsBlockingLongerThan(Optional.empty())).containsExactly(30, 32);
  }

  @Test
  void aCycleCountsTheWaitsOfItsOwnMembersForBlockingLongerThan() {
    LockGraph graph = graph(wait(40, 0, 10, 41), wait(41, 1, 120, 40));

    assertThat(graph.rootsBlockingLongerThan(Optional.of(Duration.ofMinutes(1))))
        .containsExactly(41);
    assertThat(graph.rootsBlockingLongerThan(Optional.of(Duration.ofMinutes(5)))).isEmpty();
  }

  @Test
  void aPlainQueueHasNoCycle() {
    LockGraph graph = graph(wait(51, 0, 9, 50), wait(52, 1, 9, 51, 0));

    assertThat(graph.cycleBreakers()).isEmpty();
    assertThat(graph.cycleOf(51)).isEmpty();
    assertThat(graph.rootsBlockingLongerThan(Optional.empty())).containsExactly(50);
  }
}
