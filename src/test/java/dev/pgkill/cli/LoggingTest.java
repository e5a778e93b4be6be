package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class LoggingTest {
  @Test
  void quietRunGetsANoOpLogger() {
    assertThat(Logging.forVerbosity(0)).isSameAs(NOPLogger.NOP_LOGGER);
  }

  @Test
  void theDriversJavaUtilLoggingPrintsNothingOnStandardError() {
    Logging.forVerbosity(0);

    assertThat(java.util.logging.Logger.getLogger("").getHandlers()).isEmpty();
  }
}
