package dev.pgkill.report;

import static dev.pgkill.report.JsonFields.blocked;
import static dev.pgkill.report.JsonFields.number;
import static dev.pgkill.report.JsonFields.session;
import static dev.pgkill.report.JsonFields.signal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.HorizonHolders.PreparedHolder;
import dev.pgkill.select.HorizonHolders.SlotHolder;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome;
import dev.pgkill.text.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

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

  private final PrintWriter writer;
  private final JsonLines out;
  private final PrintWriter err;
  private final Optional<ServerTag> server;

  JsonReport(PrintWriter out, PrintWriter err) {
    this(out, err, Optional.empty());
  }

  private JsonReport(PrintWriter out, PrintWriter err, Optional<ServerTag> server) {
    this.writer = out;
    this.out =
        server.isPresent()
            ? new JsonLines(out, json -> server(json, server.get()))
            : new JsonLines(out);
    this.err = err;
    this.server = server;
  }

  @Override
  public Report on(ServerTag tag) {
    return new JsonReport(writer, err, Optional.of(tag));
  }

  /** {@code "server": {"label", "host", "port", "system_identifier", "in_recovery"}}. */
  private static void server(JsonGenerator json, ServerTag server) throws IOException {
    json.writeObjectFieldStart("server");
    json.writeStringField("label", server.label());
    json.writeStringField("host", server.host());
    json.writeNumberField("port", server.port());
    json.writeStringField("system_identifier", server.systemIdentifier().orElse(null));
    json.writeFieldName("in_recovery");
    if (server.inRecovery().isPresent()) {
      json.writeBoolean(server.inRecovery().get());
    } else {
      json.writeNull();
    }
    json.writeEndObject();
  }

  @Override
  public void run(RunSummary run) {
    out.line(
        json -> {
          json.writeStringField("type", "run");
          json.writeNumberField("version", VERSION);
          json.writeNumberField("servers", run.servers());
          json.writeNumberField("reached", run.reached());
          labels(json, "unreachable", run.unreachable());
          labels(json, "refused", run.refused());
          json.writeNumberField("status", run.status());
          json.writeBooleanField("policy", run.policy());
          if (run.asked().isPresent()) {
            Tally tally = Tally.of(run.outcomes());
            // A policy's rules may each have their own action.
            json.writeStringField(
                "action", run.policy() ? null : run.asked().get().action().verb());
            json.writeBooleanField("dry_run", run.asked().get().dryRun());
            json.writeNumberField("targets", tally.targets());
            json.writeNumberField("signalled", tally.signalled());
            json.writeNumberField("would_signal", tally.wouldSignal());
            json.writeNumberField("not_signalled", tally.notSignalled());
          } else {
            json.writeNumberField("sessions", run.sessions().size());
          }
        });
    out.flush();
  }

  private static void labels(JsonGenerator json, String name, List<String> labels)
      throws IOException {
    json.writeArrayFieldStart(name);
    for (String label : labels) {
      json.writeString(label);
    }
    json.writeEndArray();
  }

  @Override
  public void outcomes(Asked asked, List<Outcome> outcomes) {
    for (Outcome outcome : outcomes) {
      out.line(
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
    out.line(json -> summary(json, asked, Tally.of(outcomes)));
    out.flush();
  }

  private static void summary(JsonGenerator json, Asked asked, Tally tally) throws IOException {
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
    countIf(json, "needed_terminate", tally.waited() && asked.escalate(), tally.neededTerminate());
  }

  /** A count that applies only to some runs: null in the others. */
  private static void countIf(JsonGenerator json, String name, boolean applies, long count)
      throws IOException {
    number(json, name, applies ? Long.valueOf(count) : null);
  }

  @Override
  public void sessions(List<Session> sessions, LockGraph locks) {
    boolean blockers = locks != LockGraph.NONE;
    for (Session session : sessions) {
      out.line(
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
            // The server's time the ages were measured at, which --rehearse measures them at too.
            json.writeStringField(
                "captured_at",
                session.capturedAt() == null ? null : Timestamps.utc(session.capturedAt()));
          });
    }
    out.line(json -> listingSummary(json, sessions.size()));
    out.flush();
  }

  /** The last line of a listing, and the only one of --count. */
  static void listingSummary(JsonGenerator json, int sessions) throws IOException {
    json.writeStringField("type", "summary");
    json.writeNumberField("version", VERSION);
    json.writeNumberField("sessions", sessions);
  }

  @Override
  public void preparedBlockers(List<PreparedBlocker> prepared, LockGraph locks) {
    for (PreparedBlocker blocker : prepared) {
      out.line(
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
          holder.hint(),
          holder.age());
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
          slot.hint(),
          null);
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
      String hint,
      java.time.Duration age) {
    out.line(
        json -> {
          json.writeStringField("type", "horizon_holder");
          json.writeStringField("holder", holder);
          json.writeStringField("name", name);
          json.writeStringField("owner", owner);
          json.writeStringField("database", database);
          json.writeStringField("slot_type", slotType);
          number(json, "active_pid", activePid == null ? null : Long.valueOf(activePid));
          json.writeNumberField("xmin_age", xminAge);
          json.writeStringField("horizon", horizon);
          json.writeStringField("hint", hint);
          number(json, "age_ms", age == null ? null : age.toMillis());
        });
  }

  @Override
  public void error(String message) {
    if (server.isEmpty()) {
      Report.error(err, message);
      return;
    }
    Report.error(err, server.get().label() + ": " + message);
    // With several servers, a consumer of the lines must learn which did nothing, and why.
    out.line(
        json -> {
          json.writeStringField("type", "error");
          json.writeStringField("message", message);
        });
    out.flush();
  }

  @Override
  public void hint(String message) {
    Report.hint(err, server.map(s -> s.label() + ": ").orElse("") + message);
  }

  @Override
  public void rule(String name, java.util.Optional<String> reason) {
    out.line(
        json -> {
          json.writeStringField("type", "rule");
          json.writeStringField("rule", name);
          if (reason.isPresent()) {
            json.writeStringField("reason", reason.get());
          }
        });
  }
}
