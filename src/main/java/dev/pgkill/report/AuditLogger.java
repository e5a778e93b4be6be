package dev.pgkill.report;

import org.slf4j.Logger;

/**
 * {@code --syslog}: each audit line as one event of a logger of its own, which {@code cli} sends to
 * syslog and nowhere else.
 */
public final class AuditLogger implements AuditSink {
  private final Logger logger;

  public AuditLogger(Logger logger) {
    this.logger = logger;
  }

  @Override
  public void append(String line) {
    logger.info(line);
  }

  @Override
  public String name() {
    return "syslog";
  }
}
