package dev.pgkill.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * The logger a run gets for its verbosity. A silent run gets a no-op logger and never starts
 * Logback, which would cost it a tenth of a second.
 */
final class Logging {
  private Logging() {}

  static Logger forVerbosity(int verbosity) {
    if (verbosity <= 0) {
      return NOPLogger.NOP_LOGGER;
    }
    Logger logger = LoggerFactory.getLogger("pgkill");
    if (logger instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(
          verbosity == 1 ? ch.qos.logback.classic.Level.INFO : ch.qos.logback.classic.Level.DEBUG);
    }
    return logger;
  }
}
