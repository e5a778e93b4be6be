package dev.pgkill.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DisabledIfServerVersionBelow} against the real server: a test below its version never runs
 * (these fail if they do), on a method, on a nested class, and inherited from the class enclosing a
 * nested one; a test at or above it runs.
 */
@ExtendWith(PostgresExtension.class)
class ServerVersionConditionIT {
  /** Newer than any PostgreSQL there is. */
  private static final int FUTURE = 99;

  private final PostgresServer server;

  ServerVersionConditionIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  @DisabledIfServerVersionBelow(10)
  void runsOnAServerOfTheVersionOrLater() {
    assertThat(server.major()).isGreaterThanOrEqualTo(10);
  }

  @Test
  @DisabledIfServerVersionBelow(FUTURE)
  void aMethodBelowItsVersionNeverRuns() {
    fail("ran on PostgreSQL " + server.major());
  }

  @Nested
  @DisabledIfServerVersionBelow(FUTURE)
  class NestedBelowItsVersion {
    @Test
    void neverRuns() {
      fail("ran on PostgreSQL " + server.major());
    }
  }

  @Nested
  @DisabledIfServerVersionBelow(FUTURE)
  class EnclosingBelowItsVersion {
    @Nested
    class Inner {
      @Test
      void neverRuns() {
        fail("ran on PostgreSQL " + server.major());
      }
    }
  }
}
