package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import dev.pgkill.report.AuditFile;
import dev.pgkill.report.AuditLogger;
import dev.pgkill.report.AuditSink;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The audit trail the options ask for, opened before anything connects: a file that cannot be
 * opened is a usage error, so that nothing is signalled unaudited.
 */
final class Audits implements AutoCloseable {
  private final AuditTrail trail;
  private final boolean syslog;

  private Audits(AuditTrail trail, boolean syslog) {
    this.trail = trail;
    this.syslog = syslog;
  }

  static Audits open(AuditOptions options, Environment environment, Consumer<String> failure) {
    List<AuditSink> sinks = new ArrayList<>();
    var server = options.syslog(); // a bad facility is refused before the file is created
    if (options.auditLog != null) {
      try {
        sinks.add(AuditFile.open(options.auditLog));
      } catch (IOException | UnsupportedOperationException e) {
        throw new UsageError(
            "cannot open --audit-log "
                + SafeText.escaped(options.auditLog.toString())
                + ": "
                + SafeText.oneLine(why(e)));
      }
    }
    boolean syslog = false;
    if (server.isPresent()) {
      sinks.add(new AuditLogger(AuditSyslog.logger(server.get())));
      syslog = true;
    }
    if (sinks.isEmpty()) {
      return new Audits(AuditTrail.NONE, false);
    }
    return new Audits(
        new AuditTrail(
            sinks, Clock.systemUTC(), environment.osUser(), HostName.of(environment), failure),
        syslog);
  }

  private static String why(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  AuditTrail trail() {
    return trail;
  }

  @Override
  public void close() {
    trail.close();
    if (syslog) {
      AuditSyslog.stop();
    }
  }
}
