package dev.pgkill.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgkill.select.LockGraph.Blocked;
import dev.pgkill.select.LockWanted;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import dev.pgkill.text.Timestamps;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * The fields {@code --output json} writes for a session, a signal and the sessions queued behind
 * one: every field always present, null when it does not apply.
 */
final class JsonFields {
  /** What pg_stat_activity shows in place of another role's query to a role without the grant. */
  private static final String HIDDEN_QUERY = "<insufficient privilege>";

  private JsonFields() {}

  /** A number, or null where there is none. */
  static void number(JsonGenerator json, String name, Long value) throws IOException {
    json.writeFieldName(name);
    if (value == null) {
      json.writeNull();
    } else {
      json.writeNumber(value);
    }
  }

  /** The session a target or a listed line is, all null for a target with no session. */
  static void session(JsonGenerator json, Session session) throws IOException {
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
    json.writeStringField(
        "query", session == null ? null : query(session.query(), session.state()));
    number(json, "xmin_age", session == null ? null : session.xminAge());
    json.writeStringField("horizon", session == null ? null : session.horizon());
    json.writeStringField("wait_event_type", session == null ? null : session.waitEventType());
    json.writeStringField("wait_event", session == null ? null : session.waitEvent());
    number(json, "backend_xid", session == null ? null : session.backendXid());
    number(json, "query_id", session == null ? null : session.queryId());
    number(
        json,
        "client_port",
        session == null || session.clientPort() == null
            ? null
            : Long.valueOf(session.clientPort()));
    json.writeStringField("client_hostname", session == null ? null : session.clientHostname());
    lockAndGroup(json, session);
  }

  /**
   * With --waiting-longer-than the lock it waits for, with --keep-newest its place in its group.
   */
  private static void lockAndGroup(JsonGenerator json, Session session) throws IOException {
    number(
        json,
        "lock_waiting_ms",
        session == null || session.lockWaiting() == null ? null : session.lockWaiting().toMillis());
    lock(json, session == null ? null : session.lockWanted());
    number(
        json,
        "newest_in_group",
        session == null || session.newestInGroup() == null
            ? null
            : Long.valueOf(session.newestInGroup()));
    number(
        json,
        "group_sessions",
        session == null || session.groupSessions() == null
            ? null
            : Long.valueOf(session.groupSessions()));
  }

  /** The lock a session waits for: its mode, pg_locks' locktype and what it is on. */
  private static void lock(JsonGenerator json, LockWanted lock) throws IOException {
    json.writeStringField("lock_mode", lock == null ? null : lock.mode());
    json.writeStringField("lock_type", lock == null ? null : lock.type());
    json.writeStringField("lock_target", lock == null ? null : lock.target());
  }

  /** One signal: what was sent, what the server said, and with --wait what became of it. */
  static void signal(JsonGenerator json, Outcome outcome) throws IOException {
    json.writeStringField("action", outcome.action().verb());
    json.writeBooleanField("signalled", outcome.signalled());
    json.writeStringField("outcome", outcome.result().name().toLowerCase(Locale.ROOT));
    json.writeStringField("result_text", ResultText.of(outcome));
    ServerMessage message = outcome.message().orElse(null);
    json.writeStringField("sqlstate", message == null ? null : message.sqlState());
    json.writeStringField("message", message == null ? null : message.text());
    json.writeStringField("detail", message == null ? null : message.detail());
    Waited waited = outcome.waited().orElse(null);
    json.writeStringField(
        "wait", waited == null ? null : waited.ending().name().toLowerCase(Locale.ROOT));
    number(json, "waited_ms", waited == null ? null : waited.waited().toMillis());
  }

  /** The sessions waiting on a lock behind one session, nested as they queue. */
  static void blocked(JsonGenerator json, List<Blocked> blocked) throws IOException {
    json.writeStartArray();
    for (Blocked b : blocked) {
      json.writeStartObject();
      json.writeNumberField("pid", b.waiter().pid());
      json.writeStringField("user", b.waiter().user());
      json.writeStringField("state", b.waiter().state());
      json.writeStringField("query", query(b.waiter().query(), b.waiter().state()));
      json.writeNumberField("waiting_ms", b.waiter().waiting().toMillis());
      lock(json, b.waiter().lock());
      json.writeFieldName("blocks");
      blocked(json, b.blocks());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /**
   * The query, or null where it is hidden as every other hidden field is: a hidden session also has
   * no state, which every visible one has, so a query that really reads so is kept.
   */
  private static String query(String query, String state) {
    return state == null && HIDDEN_QUERY.equals(query) ? null : query;
  }

  private static String time(OffsetDateTime time) {
    return time == null ? null : Timestamps.utc(time);
  }
}
