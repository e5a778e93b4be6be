package dev.pgkill.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Outcome.Result;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitStatusTest {

  private static List<Outcome> outcomes(Result... results) {
    return Arrays.stream(results)
        .map(r -> Outcome.of(Target.of(1), null, Action.CANCEL, r))
        .toList();
  }

  @Test
  void codesAreThoseTheReadmePromises() {
    assertThat(ExitStatus.values())
        .extracting(ExitStatus::code)
        .containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void everyTargetSignalledIsSuccess() {
    assertThat(ExitStatus.of(outcomes(Result.SIGNALLED, Result.SIGNALLED)))
        .isEqualTo(ExitStatus.OK);
  }

  @Test
  void nothingSignalledOrNothingMatchedIsOne() {
    assertThat(ExitStatus.of(outcomes())).isEqualTo(ExitStatus.NOTHING_DONE);
    assertThat(ExitStatus.of(outcomes(Result.NOT_FOUND, Result.DENIED)))
        .isEqualTo(ExitStatus.NOTHING_DONE);
  }

  @Test
  void aDryRunIsDoneOnlyWhereTheServerWouldSignal() {
    assertThat(ExitStatus.of(outcomes(Result.WOULD_SIGNAL))).isEqualTo(ExitStatus.OK);
    assertThat(
            ExitStatus.of(
                outcomes(Result.WOULD_BE_REFUSED_PRIVILEGE, Result.WOULD_BE_REFUSED_AUXILIARY)))
        .isEqualTo(ExitStatus.NOTHING_DONE);
    assertThat(ExitStatus.of(outcomes(Result.WOULD_SIGNAL, Result.MAY_BE_REFUSED)))
        .isEqualTo(ExitStatus.PARTIAL);
  }

  @Test
  void someSignalledIsPartial() {
    assertThat(ExitStatus.of(outcomes(Result.SIGNALLED, Result.GONE)))
        .isEqualTo(ExitStatus.PARTIAL);
  }

  @Test
  void aLostConnectionIsFatalWhateverWasSignalledBefore() {
    assertThat(
            ExitStatus.of(outcomes(Result.SIGNALLED, Result.CONNECTION_LOST, Result.NOT_ATTEMPTED)))
        .isEqualTo(ExitStatus.FATAL);
  }
}
