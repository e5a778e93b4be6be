package dev.pgkill.run;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a watch waits before connecting again: doubling from {@link #FIRST} up to {@link #CAP},
 * each wait a random time between half of it and all of it, so that many watches losing the same
 * server do not all knock on it again in the same instant.
 */
final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration CAP = Duration.ofSeconds(60);

  private final RandomGenerator random;
  private int failures;

  Backoff(RandomGenerator random) {
    this.random = random;
  }

  /** The wait after one more failure in a row. */
  Duration next() {
    long ceiling = FIRST.toMillis() << Math.min(failures, 16);
    failures++;
    long full = Math.min(ceiling, CAP.toMillis());
    return Duration.ofMillis(full / 2 + random.nextLong(full / 2 + 1));
  }

  /** A connection worked: the next failure starts from the first wait again. */
  void reset() {
    failures = 0;
  }
}
