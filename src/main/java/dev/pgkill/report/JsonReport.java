package dev.pgkill.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.HorizonHolders.PreparedHolder;
import dev.pgkill.select.HorizonHolders.SlotHolder;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.Blocked;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import dev.pgkill.text.Timestamps;
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
  /**
   * The version of the fields below, in every summary: raised when a field changes meaning or goes
   * away, not when one is added. 2: {@code result_text}, {@code message} only the server's, a
   * hidden query null, {@code prepared_transaction.blocks} as objects, the summary last.
   */
  static final int VERSION = 2;

  /** What pg_stat_activity shows in place of another role's query to a role without the grant. */
  private static final String HIDDEN_QUERY = "<insufficient privilege>";

  private static final JsonFactory JSON = new JsonFactory();

  private final PrintWriter out;
  private final PrintWriter err;

  JsonReport(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public void outcomes(Asked asked, List<Outcome> outcomes) {
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
    Tally tally = Tally.of(outcomes);
    line(
        json -> {
          json.writeStringField("type", "summary");
          json.writeNumberField("version", VERSION);
          json.writeStringField("action", asked.action().verb());
          json.writeBooleanField("dry_run", asked.dryRun());
          json.writeNumberField("targets", tally.targets());
          json.writeNumberField("signalled", tally.signalled());
          json.writeNumberField("would_signal", tally.wouldSignal());
          json.writeNumberField("not_signalled", tally.notSignalled());
          countIf(json, "ended", tally.waited(), tally.ended());
          countIf(json, "ended_by_itself", tally.waited(), tally.endedByItself());
          countIf(json, "nothing_to_cancel", tally.waited(), tally.nothingToCancel());
          countIf(
              json,
              "needed_terminate",
              tally.waited() && asked.escalate(),
              tally.neededTerminate());
        });
    out.flush();
  }

  /** A count that applies only to some runs: null in the others. */
  private static void countIf(JsonGenerator json, String name, boolean applies, long count)
      throws IOException {
    json.writeFieldName(name);
    if (applies) {
      json.writeNumber(count);
    } else {
      json.writeNull();
    }
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
            json.writeFieldName("cycle");
            List<Integer> cycle = locks.cycleOf(session.pid());
            if (cycle.isEmpty()) {
              json.writeNull();
            } else {
              json.writeStartArray();
              for (int pid : cycle) {
                json.writeNumber(pid);
              }
              json.writeEndArray();
            }
          });
    }
    line(
        json -> {
          json.writeStringField("type", "summary");
          json.writeNumberField("version", VERSION);
          json.writeNumberField("sessions", sessions.size());
        });
    out.flush();
  }

  @Override
  public void preparedBlockers(List<PreparedBlocker> prepared, LockGraph locks) {
    for (PreparedBlocker blocker : prepared) {
      line(
          json -> {
            json.writeStringField("type", "prepared_transaction");
            json.writeStringField("gid", blocker.gid());
            json.writeStringField("owner", blocker.owner());
            json.writeStringField("database", blocker.database());
            json.writeFieldName("blocks");
            blocked(json, locks.blockedBy(blocker));
            json.writeStringField("hint", blocker.hint());
          });
    }
    out.flush();
  }

  @Override
  public void horizonHolders(HorizonHolders holders) {
    for (PreparedHolder holder : holders.prepared()) {
      horizonHolder(
          "prepared_transaction",
          holder.gid(),
          holder.owner(),
          holder.database(),
          null,
          null,
          holder.xminAge(),
          holder.horizon(),
          holder.hint());
    }
    for (SlotHolder slot : holders.slots()) {
      horizonHolder(
          "replication_slot",
          slot.name(),
          null,
          slot.database(),
          slot.type(),
          slot.activePid(),
          slot.xminAge(),
          slot.horizon(),
          slot.hint());
    }
    out.flush();
  }

  private void horizonHolder(
      String holder,
      String name,
      String owner,
      String database,
      String slotType,
      Integer activePid,
      long xminAge,
      String horizon,
      String hint) {
    line(
        json -> {
          json.writeStringField("type", "horizon_holder");
          json.writeStringField("holder", holder);
          json.writeStringField("name", name);
          json.writeStringField("owner", owner);
          json.writeStringField("database", database);
          json.writeStringField("slot_type", slotType);
          json.writeFieldName("active_pid");
          if (activePid == null) {
            json.writeNull();
          } else {
            json.writeNumber(activePid);
          }
          json.writeNumberField("xmin_age", xminAge);
          json.writeStringField("horizon", horizon);
          json.writeStringField("hint", hint);
        });
  }

  /** The sessions waiting on a lock behind one session, nested as they queue. */
  private static void blocked(JsonGenerator json, List<Blocked> blocked) throws IOException {
    json.writeStartArray();
    for (Blocked b : blocked) {
      json.writeStartObject();
      json.writeNumberField("pid", b.waiter().pid());
      json.writeStringField("user", b.waiter().user());
      json.writeStringField("state", b.waiter().state());
      json.writeStringField("query", query(b.waiter().query(), b.waiter().state()));
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
    json.writeStringField("result_text", ResultText.of(outcome));
    ServerMessage message = outcome.message().orElse(null);
    json.writeStringField("sqlstate", message == null ? null : message.sqlState());
    json.writeStringField("message", message == null ? null : message.text());
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
    json.writeStringField(
        "query", session == null ? null : query(session.query(), session.state()));
    json.writeFieldName("xmin_age");
    if (session == null || session.xminAge() == null) {
      json.writeNull();
    } else {
      json.writeNumber(session.xminAge());
    }
    json.writeStringField("horizon", session == null ? null : session.horizon());
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

  @Override
  public void rule(String name, java.util.Optional<String> reason) {
    line(
        json -> {
          json.writeStringField("type", "rule");
          json.writeStringField("rule", name);
          if (reason.isPresent()) {
            json.writeStringField("reason", reason.get());
          }
        });
  }
}
