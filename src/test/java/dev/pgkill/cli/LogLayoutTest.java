package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class LogLayoutTest {
  private static final Exception FAILURE =
      new SQLException(
          "ERROR: could not connect\n  Detail: the server said so",
          "08001",
          new ConnectException("Connection refused"));

  private static String layout(Level pgkillLevel) {
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger(Logging.NAME);
    logger.setLevel(pgkillLevel);
    LogLayout layout = new LogLayout();
    layout.setContext(context);
    layout.start();
    return layout.doLayout(
        new LoggingEvent(
            Logger.class.getName(), logger, Level.INFO, "connection failed", FAILURE, null));
  }

  @Test
  void verboseShowsEachCauseOnOneLineAndNoStackTrace() {
    assertThat(layout(Level.INFO).lines())
        .containsExactly(
            "pgkill INFO  connection failed",
            "  java.sql.SQLException: ERROR: could not connect Detail: the server said so",
            "  caused by java.net.ConnectException: Connection refused");
  }

  @Test
  void veryVerboseShowsTheStackTrace() {
    assertThat(layout(Level.DEBUG))
        .startsWith(
            "pgkill INFO  connection failed\njava.sql.SQLException: ERROR: could not connect\n")
        .contains("\tat dev.pgkill.cli.LogLayoutTest", "Caused by: java.net.ConnectException");
  }

  @Test
  void aMessageWithoutAnExceptionIsOneLine() {
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger(Logging.NAME);
    LogLayout layout = new LogLayout();
    layout.setContext(context);
    assertThat(
            layout.doLayout(
                new LoggingEvent(
                    Logger.class.getName(),
                    logger,
                    Level.INFO,
                    "{} chosen",
                    null,
                    new Object[] {"1 session"})))
        .isEqualTo("pgkill INFO  1 session chosen\n");
  }
}
