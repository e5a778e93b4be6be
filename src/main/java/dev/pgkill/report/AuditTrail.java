package dev.pgkill.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The audit trail: one JSON object per line for every decision about a session, with who ran pgkill
 * where, on which server, under which rule and why. A field that does not apply is left out. The
 * connection settings are never written, so no password can appear.
 *
 * <p>A line that cannot be written is never lost silently: {@code failure} hears of it at once, and
 * {@link #failed()} says so afterwards, so that the run does not end as a success.
 */
public final class AuditTrail {
  /** Audits nothing: no {@code --audit-log}, no {@code --syslog}. */
  public static final AuditTrail NONE =
      new AuditTrail(List.of(), Clock.systemUTC(), "", "", failure -> {});

  private static final JsonFactory JSON = new JsonFactory();

  private final List<AuditSink> sinks;
  private final Clock clock;
  private final String osUser;
  private final String osHost;
  private final Consumer<String> failure;
  private boolean failed;

  /**
   * @param osUser the operating-system user running pgkill
   * @param osHost the host running pgkill, as the kernel names it
   * @param failure hears, as one line, of each line a sink could not take
   */
  public AuditTrail(
      List<AuditSink> sinks, Clock clock, String osUser, String osHost, Consumer<String> failure) {
    this.sinks = List.copyOf(sinks);
    this.clock = clock;
    this.osUser = osUser;
    this.osHost = osHost;
    this.failure = failure;
  }

  /** Whether anything is audited at all. */
  public boolean enabled() {
    return !sinks.isEmpty();
  }

  /** Whether any line could not be written, to any sink, since this trail was made. */
  public synchronized boolean failed() {
    return failed;
  }

  /** One line, to every sink. */
  public synchronized void write(Where where, AuditEvent event) {
    if (sinks.isEmpty()) {
      return;
    }
    append(line(where, event));
  }

  private void append(String line) {
    for (AuditSink sink : sinks) {
      try {
        sink.append(line);
      } catch (IOException | RuntimeException e) {
        failed = true;
        failure.accept(
            "could not write to "
                + sink.name()
                + ": "
                + SafeText.oneLine(e.getMessage() == null ? e.toString() : e.getMessage())
                + "; an audit line is missing");
      }
    }
  }

  /**
   * A server of several that pgkill could not reach: one line of its own, so that the trail says
   * the run did nothing there, and why.
   */
  public synchronized void unreachable(
      ServerTag server, Action action, Optional<String> rule, Optional<String> reason, String why) {
    if (sinks.isEmpty()) {
      return;
    }
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("time", Timestamps.utc(OffsetDateTime.now(clock)));
      json.writeStringField("os_user", osUser);
      json.writeStringField("os_host", osHost);
      json.writeObjectFieldStart("server");
      json.writeStringField("label", server.label());
      json.writeStringField("host", server.host());
      json.writeNumberField("port", server.port());
      json.writeEndObject();
      optional(json, "rule", rule);
      optional(json, "reason", reason);
      json.writeStringField("action", action.verb());
      json.writeStringField("decision", "unreachable");
      json.writeStringField("why", why);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    append(text.toString());
  }

  /** logrotate moved the files away (SIGHUP): the next lines go to new files at the same paths. */
  public synchronized void reopen() {
    for (AuditSink sink : sinks) {
      try {
        sink.reopen();
      } catch (IOException e) {
        failed = true;
        failure.accept(
            "could not reopen "
                + sink.name()
                + ": "
                + SafeText.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
  }

  /** Done with the sinks: the file closed. */
  public synchronized void close() {
    for (AuditSink sink : sinks) {
      try {
        sink.close();
      } catch (IOException e) {
        failed = true;
        failure.accept(
            "could not close "
                + sink.name()
                + ": "
                + SafeText.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
  }

  /**
   * Where a pass ran, and under what rule: the same for every line of the pass.
   *
   * @param server the server the pass reached
   * @param rule the policy rule, empty on the command line
   * @param reason the user's reason
   */
  public record Where(ServerIdentity server, Optional<String> rule, Optional<String> reason) {}

  String line(Where where, AuditEvent event) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("time", Timestamps.utc(OffsetDateTime.now(clock)));
      json.writeStringField("os_user", osUser);
      json.writeStringField("os_host", osHost);
      server(json, where.server());
      optional(json, "rule", where.rule());
      optional(json, "reason", where.reason());
      json.writeNumberField("pid", event.pid());
      if (event.session().isPresent()) {
        session(json, event.session().get());
      }
      json.writeStringField("action", event.action().verb());
      if (event.escalation()) {
        json.writeBooleanField("escalation", true);
      }
      json.writeStringField("decision", event.decision());
      if (event.signalled().isPresent()) {
        json.writeBooleanField("signalled", event.signalled().get());
      }
      if (event.message().isPresent()) {
        ServerMessage message = event.message().get();
        optional(json, "sqlstate", Optional.ofNullable(message.sqlState()));
        optional(json, "message", Optional.ofNullable(message.text()));
        optional(json, "detail", Optional.ofNullable(message.detail()));
      }
      optional(json, "why", event.why());
      if (event.waited().isPresent()) {
        Waited waited = event.waited().get();
        json.writeStringField("wait", waited.ending().name().toLowerCase(Locale.ROOT));
        json.writeNumberField("waited_ms", waited.waited().toMillis());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void server(JsonGenerator json, ServerIdentity server) throws IOException {
    json.writeObjectFieldStart("server");
    if (server.host().isPresent()) {
      json.writeStringField("host", server.host().get());
    } else {
      json.writeStringField("socket", server.address());
    }
    json.writeNumberField("port", server.port());
    optional(json, "system_identifier", server.systemIdentifier());
    json.writeEndObject();
  }

  private static void session(JsonGenerator json, Session session) throws IOException {
    json.writeObjectFieldStart("session");
    json.writeNumberField("pid", session.pid());
    time(json, "backend_start", session.backendStart());
    optional(json, "user", Optional.ofNullable(session.user()));
    optional(json, "database", Optional.ofNullable(session.database()));
    optional(json, "application", Optional.ofNullable(session.application()));
    optional(json, "client", Optional.ofNullable(session.client()));
    optional(json, "backend_type", Optional.ofNullable(session.backendType()));
    optional(json, "state", Optional.ofNullable(session.state()));
    time(json, "query_start", session.queryStart());
    time(json, "xact_start", session.xactStart());
    optional(json, "query", Optional.ofNullable(session.query()));
    json.writeEndObject();
  }

  private static void time(JsonGenerator json, String name, OffsetDateTime time)
      throws IOException {
    if (time != null) {
      json.writeStringField(name, Timestamps.utc(time));
    }
  }

  private static void optional(JsonGenerator json, String name, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      json.writeStringField(name, value.get());
    }
  }
}
