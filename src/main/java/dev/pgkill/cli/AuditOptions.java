package dev.pgkill.cli;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where every decision about a session is recorded, and why the run was made. */
final class AuditOptions {
  /** The facilities Logback's syslog appender knows. */
  static final List<String> FACILITIES =
      List.of(
          "kern",
          "user",
          "mail",
          "daemon",
          "auth",
          "syslog",
          "lpr",
          "news",
          "uucp",
          "cron",
          "authpriv",
          "ftp",
          "ntp",
          "audit",
          "alert",
          "clock",
          "local0",
          "local1",
          "local2",
          "local3",
          "local4",
          "local5",
          "local6",
          "local7");

  static final int SYSLOG_PORT = 514;

  @Option(
      names = "--audit-log",
      paramLabel = "FILE",
      order = HelpSections.AUDIT,
      description =
          "Append one JSON line per decision about a session (signalled, refused, denied, gone,"
              + " and each wait's verdict) to FILE, created with mode 0640. Checked before"
              + " connecting; a line that cannot be written makes the exit status 3.")
  Path auditLog;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      order = HelpSections.AUDIT + 1,
      description = "Why this run signals, recorded in every audit line.")
  String reason;

  @Option(
      names = "--syslog",
      order = HelpSections.AUDIT + 2,
      description = "Also send every audit line to syslog (UDP), at severity info.")
  boolean syslog;

  @Option(
      names = "--syslog-facility",
      paramLabel = "NAME",
      order = HelpSections.AUDIT + 3,
      description = "The syslog facility (default: local0).")
  String facility;

  @Option(
      names = "--syslog-server",
      paramLabel = "HOST[:PORT]",
      order = HelpSections.AUDIT + 4,
      description = "Where syslog listens (default: localhost:514).")
  String server;

  /** {@code --reason}, checked: one line of text. */
  Optional<String> reason() {
    if (reason == null) {
      return Optional.empty();
    }
    if (reason.isBlank()) {
      throw new UsageError("invalid --reason: empty");
    }
    return Optional.of(reason);
  }

  /** Where syslog lines go, when {@code --syslog} was given. */
  Optional<Syslog> syslog() {
    if (!syslog) {
      if (facility != null || server != null) {
        throw new UsageError(
            (facility != null ? "--syslog-facility" : "--syslog-server") + " goes with --syslog");
      }
      return Optional.empty();
    }
    String name = facility == null ? "local0" : facility.toLowerCase(Locale.ROOT);
    if (!FACILITIES.contains(name)) {
      throw new UsageError(
          "invalid --syslog-facility "
              + SafeText.quoted(facility)
              + ": expected "
              + String.join(", ", FACILITIES));
    }
    return Optional.of(address(server == null ? "localhost" : server, name));
  }

  /** HOST, HOST:PORT, IPV6, [IPV6] or [IPV6]:PORT. */
  private static Syslog address(String value, String facility) {
    String host = value;
    String port = null;
    if (value.startsWith("[") && value.contains("]")) {
      int close = value.indexOf(']');
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (rest.startsWith(":")) {
        port = rest.substring(1);
      } else if (!rest.isEmpty()) {
        host = "";
      }
    } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
      host = value.substring(0, value.indexOf(':'));
      port = value.substring(value.indexOf(':') + 1);
    }
    if (host.isEmpty()) {
      throw new UsageError("invalid --syslog-server " + SafeText.quoted(value) + ": no host");
    }
    return new Syslog(host, port == null ? SYSLOG_PORT : port(value, port), facility);
  }

  private static int port(String value, String port) {
    try {
      int number = Integer.parseInt(port);
      if (number >= 1 && number <= 65535) {
        return number;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageError(
        "invalid --syslog-server "
            + SafeText.quoted(value)
            + ": the port must be a number from 1 to 65535");
  }

  /** A syslog server and the facility its lines go under. */
  record Syslog(String host, int port, String facility) {}
}
