package dev.pgkill.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void waitsDoubleUpToTheCapEachBetweenHalfAndAllOfIt() {
    Backoff backoff = new Backoff(new SplittableRandom(42));
    long ceiling = Backoff.FIRST.toMillis();
    for (int failure = 0; failure < 12; failure++) {
      long full = Math.min(ceiling, Backoff.CAP.toMillis());
      assertThat(backoff.next().toMillis()).isBetween(full / 2, full);
      ceiling *= 2;
    }
  }

  @Test
  void jitterSpreadsWatchesThatFailedTogether() {
    List<Duration> firsts = new ArrayList<>();
    for (int watch = 0; watch < 20; watch++) {
      firsts.add(new Backoff(new SplittableRandom(watch)).next());
    }
    assertThat(firsts.stream().distinct().count()).isGreaterThan(10);
  }

  @Test
  void aWorkingConnectionStartsTheWaitsAgain() {
    Backoff backoff = new Backoff(new SplittableRandom(7));
    for (int failure = 0; failure < 8; failure++) {
      backoff.next();
    }
    backoff.reset();
    assertThat(backoff.next()).isLessThanOrEqualTo(Backoff.FIRST);
  }
}
