package dev.pgkill.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.Blocked;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * {@code --output json}: one JSON object per line, per target (or per listed session), then a
 * summary object. Every field is always present, null when it does not apply, so that a consumer
 * can rely on the names; they are documented in the README.
 */
final class JsonReport implements Report {
  private static final JsonFactory JSON = new JsonFactory();

  private final PrintWriter out;
  private final PrintWriter err;

  JsonReport(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public void outcomes(Action action, List<Outcome> outcomes) {
    for (Outcome outcome : outcomes) {
      line(
          json -> {
            json.writeStringField("type", "target");
            json.writeNumberField("pid", outcome.target().pid());
            session(json, outcome.session().orElse(null));
            signal(json, outcome);
            json.writeFieldName("escalation");
            if (outcome.escalation().isPresent()) {
              json.writeStartObject();
              signal(json, outcome.escalation().get());
              json.writeEndObject();
            } else {
              json.writeNull();
            }
          });
    }
    long signalled = outcomes.stream().filter(Outcome::signalled).count();
    long wouldSignal =
        outcomes.stream().filter(o -> o.result() == Outcome.Result.WOULD_SIGNAL).count();
    long done = outcomes.stream().filter(Outcome::done).count();
    boolean waited = outcomes.stream().anyMatch(o -> o.waited().isPresent());
    line(
        json -> {
          json.writeStringField("type", "summary");
          json.writeStringField("action", action.verb());
          json.writeNumberField("targets", outcomes.size());
          json.writeNumberField("signalled", signalled);
          json.writeNumberField("would_signal", wouldSignal);
          json.writeNumberField("not_signalled", outcomes.size() - signalled - wouldSignal);
          json.writeFieldName("ended");
          if (waited) {
            json.writeNumber(done);
          } else {
            json.writeNull();
          }
        });
    out.flush();
  }

  @Override
  public void sessions(List<Session> sessions, LockGraph locks) {
    boolean blockers = locks != LockGraph.NONE;
    for (Session session : sessions) {
      line(
          json -> {
            json.writeStringField("type", "session");
            json.writeNumberField("pid", session.pid());
            session(json, session);
            json.writeFieldName("blocks");
            if (blockers) {
              blocked(json, locks.blockedBy(session.pid()));
            } else {
              json.writeNull();
            }
          });
    }
    line(
        json -> {
          json.writeStringField("type", "summary");
          json.writeNumberField("sessions", sessions.size());
        });
    out.flush();
  }

  @Override
  public void preparedBlockers(List<PreparedBlocker> prepared) {
    for (PreparedBlocker blocker : prepared) {
      line(
          json -> {
            json.writeStringField("type", "prepared_transaction");
            json.writeStringField("gid", blocker.gid());
            json.writeStringField("owner", blocker.owner());
            json.writeStringField("database", blocker.database());
            json.writeArrayFieldStart("blocks");
            for (int pid : blocker.blocks()) {
              json.writeNumber(pid);
            }
            json.writeEndArray();
            json.writeStringField("hint", blocker.hint());
          });
    }
    out.flush();
  }

  /** The sessions waiting on a lock behind one session, nested as they queue. */
  private static void blocked(JsonGenerator json, List<Blocked> blocked) throws IOException {
    json.writeStartArray();
    for (Blocked b : blocked) {
      json.writeStartObject();
      json.writeNumberField("pid", b.waiter().pid());
      json.writeStringField("user", b.waiter().user());
      json.writeStringField("state", b.waiter().state());
      json.writeStringField("query", b.waiter().query());
      json.writeNumberField("waiting_ms", b.waiter().waiting().toMillis());
      json.writeFieldName("blocks");
      blocked(json, b.blocks());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** One signal: what was sent, what the server said, and with --wait what became of it. */
  private static void signal(JsonGenerator json, Outcome outcome) throws IOException {
    json.writeStringField("action", outcome.action().verb());
    json.writeBooleanField("signalled", outcome.signalled());
    json.writeStringField("outcome", outcome.result().name().toLowerCase(Locale.ROOT));
    ServerMessage message = outcome.message().orElse(null);
    json.writeStringField("sqlstate", message == null ? null : message.sqlState());
    json.writeStringField(
        "message", message == null ? ResultText.signal(outcome) : message.text());
    json.writeStringField("detail", message == null ? null : message.detail());
    Waited waited = outcome.waited().orElse(null);
    json.writeStringField(
        "wait", waited == null ? null : waited.ending().name().toLowerCase(Locale.ROOT));
    json.writeFieldName("waited_ms");
    if (waited == null) {
      json.writeNull();
    } else {
      json.writeNumber(waited.waited().toMillis());
    }
  }

  private static void session(JsonGenerator json, Session session) throws IOException {
    json.writeStringField("backend_start", time(session == null ? null : session.backendStart()));
    json.writeStringField("user", session == null ? null : session.user());
    json.writeStringField("database", session == null ? null : session.database());
    json.writeStringField("application", session == null ? null : session.application());
    json.writeStringField("client", session == null ? null : session.client());
    json.writeStringField("backend_type", session == null ? null : session.backendType());
    json.writeStringField("state", session == null ? null : session.state());
    json.writeStringField("query_start", time(session == null ? null : session.queryStart()));
    json.writeStringField("xact_start", time(session == null ? null : session.xactStart()));
    json.writeStringField("state_change", time(session == null ? null : session.stateChange()));
    json.writeStringField("query", session == null ? null : session.query());
    json.writeFieldName("xmin_age");
    if (session == null || session.xminAge() == null) {
      json.writeNull();
    } else {
      json.writeNumber(session.xminAge());
    }
  }

  private static String time(OffsetDateTime time) {
    return time == null ? null : Target.time(time);
  }

  private interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  private void line(Fields fields) {
    try {
      JsonGenerator json = JSON.createGenerator(out);
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
      json.close();
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void error(String message) {
    Report.error(err, message);
  }

  @Override
  public void hint(String message) {
    Report.hint(err, message);
  }
}
