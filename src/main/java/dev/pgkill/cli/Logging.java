package dev.pgkill.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * The logger a run gets for its verbosity. A silent run gets a no-op logger and never starts
 * Logback, which would cost it a tenth of a second.
 */
final class Logging {
  /** pgkill's one logger: DEBUG at -vv, which is also when exceptions show their stack trace. */
  static final String NAME = "pgkill";

  private Logging() {}

  static Logger forVerbosity(int verbosity) {
    silenceTheDriver();
    if (verbosity <= 0) {
      return NOPLogger.NOP_LOGGER;
    }
    Logger logger = LoggerFactory.getLogger(NAME);
    if (logger instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(
          verbosity == 1 ? ch.qos.logback.classic.Level.INFO : ch.qos.logback.classic.Level.DEBUG);
    }
    return logger;
  }

  /**
   * pgjdbc logs through java.util.logging, whose default console handler prints SEVERE records (a
   * failed TLS host-name check, for one) as two more lines on standard error next to pgkill's own
   * one-line error, which already says what went wrong. Removing the handlers silences it.
   */
  private static void silenceTheDriver() {
    java.util.logging.LogManager.getLogManager().reset();
  }
}
