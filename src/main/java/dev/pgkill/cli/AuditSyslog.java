package dev.pgkill.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --syslog}: a logger of its own whose events go to syslog through Logback's syslog appender
 * (UDP, as RFC 3164 describes), and nowhere else, configured in code as {@link LogbackConfigurator}
 * configures the rest.
 */
final class AuditSyslog {
  /** The audit's logger: its lines never go to standard error. */
  static final String NAME = "pgkill.audit";

  private AuditSyslog() {}

  /** The logger whose info events reach {@code syslog}, each as one datagram. */
  static Logger logger(AuditOptions.Syslog syslog) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    SyslogAppender appender = new SyslogAppender();
    appender.setContext(context);
    appender.setName("syslog");
    appender.setSyslogHost(syslog.host());
    appender.setPort(syslog.port());
    appender.setFacility(syslog.facility().toUpperCase(java.util.Locale.ROOT));
    // The JSON line alone after syslog's header, which names the time and host.
    appender.setSuffixPattern("pgkill: %msg");
    appender.setThrowableExcluded(true);
    appender.start();
    if (!appender.isStarted()) {
      // Logback only notes it in its status: the lines would go nowhere, unseen.
      throw new UsageError(
          "cannot send to --syslog-server "
              + SafeText.escaped(syslog.host())
              + ":"
              + syslog.port()
              + ": unknown host or no socket");
    }

    ch.qos.logback.classic.Logger audit = context.getLogger(NAME);
    audit.detachAndStopAllAppenders();
    audit.setAdditive(false);
    audit.setLevel(Level.INFO);
    audit.addAppender(appender);
    return audit;
  }

  /** Closes the appender's socket: the run is over. */
  static void stop() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(NAME).detachAndStopAllAppenders();
  }
}
