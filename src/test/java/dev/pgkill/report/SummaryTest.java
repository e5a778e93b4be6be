package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Outcome.Result;
import dev.pgkill.signal.Waited;
import dev.pgkill.signal.Waited.Ending;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void summaryCountsTargets() {
    Outcome one = Outcome.of(Target.of(1), null, Action.TERMINATE, Result.SIGNALLED);
    Outcome gone = Outcome.of(Target.of(2), null, Action.TERMINATE, Result.GONE);

    assertThat(Summary.of(Action.TERMINATE, List.of(one)))
        .isEqualTo("terminate: 1 of 1 target signalled");
    assertThat(Summary.of(Action.TERMINATE, List.of(one, gone)))
        .isEqualTo("terminate: 1 of 2 targets signalled, 1 not");
  }

  @Test
  void summarySaysHowManyReallyEndedWhenPgkillWaited() {
    Outcome ended =
        Outcome.of(Target.of(1), null, Action.CANCEL, Result.SIGNALLED)
            .withWaited(new Waited(Ending.CANCELLED, Duration.ofMillis(5)));
    Outcome stuck =
        Outcome.of(Target.of(2), null, Action.CANCEL, Result.SIGNALLED)
            .withWaited(new Waited(Ending.STILL_RUNNING, Duration.ofSeconds(10)));

    assertThat(Summary.of(Action.CANCEL, List.of(ended, stuck)))
        .isEqualTo("cancel: 2 of 2 targets signalled; 1 ended, 1 did not");
  }
}
