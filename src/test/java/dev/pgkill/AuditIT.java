package dev.pgkill;

import static dev.pgkill.testing.AuditLines.about;
import static dev.pgkill.testing.Fixtures.backendPid;
import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.Connected;
import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.AuditFile;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.run.Confirmation;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.PassProgress;
import dev.pgkill.run.PassResult;
import dev.pgkill.run.Pgkill;
import dev.pgkill.run.Stopping;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.testing.AuditLines;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Scratch;
import dev.pgkill.testing.ServerMessages;
import dev.pgkill.testing.Victim;
import dev.pgkill.text.Timestamps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.helpers.NOPLogger;

/**
 * The audit trail: one JSON line per decision about a session, each kind with its fields, on a real
 * server with real victims.
 */
@ExtendWith(PostgresExtension.class)
class AuditIT {
  /** Microseconds, in UTC, as every time pgkill prints. */
  private static final String UTC_MICROS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

  private final PostgresServer server;
  private final Scratch scratch = new Scratch();
  private final Path audit;

  AuditIT(PostgresServer server) {
    this.server = server;
    this.audit = scratch.directory().resolve("audit.log");
  }

  @AfterEach
  void clean() {
    scratch.close();
  }

  private String[] audited(String user, String... rest) {
    List<String> args = new ArrayList<>(List.of("--audit-log", audit.toString()));
    args.addAll(List.of(rest));
    return server.argsAs(user, args.toArray(String[]::new));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> line, String name) {
    return (Map<String, Object>) line.get(name);
  }

  private String systemIdentifier() throws Exception {
    return server.queryString(
        PostgresServer.SUPERUSER, "select system_identifier::text from pg_control_system()");
  }

  @Test
  void terminateAndCancelAreAuditedWithTheSessionTheServerAndTheReason() throws Exception {
    String app = unique("audited");
    List<Victim> victims = Victim.sleepers(server, app, 2);
    try {
      Victim terminated = victims.get(0);
      Victim cancelled = victims.get(1);
      Run terminate =
          Run.of(
              audited(
                  PostgresServer.SUPERUSER,
                  "--terminate",
                  "--reason",
                  "ticket 4711: runaway report",
                  Integer.toString(terminated.pid())));
      Run cancel =
          Run.of(audited(PostgresServer.SUPERUSER, "--cancel", Integer.toString(cancelled.pid())));

      assertThat(terminate.status()).as(terminate.out() + terminate.err()).isZero();
      assertThat(cancel.status()).as(cancel.out() + cancel.err()).isZero();
      List<Map<String, Object>> lines = AuditLines.of(audit);
      assertThat(lines).hasSize(2);
      Map<String, Object> first = lines.get(0);
      assertThat(first)
          .containsEntry("pid", terminated.pid())
          .containsEntry("action", "terminate")
          .containsEntry("decision", "signalled")
          .containsEntry("signalled", true)
          .containsEntry("os_user", "pgkill-os-user")
          .containsEntry("reason", "ticket 4711: runaway report")
          .doesNotContainKeys("rule", "sqlstate", "message", "wait");
      assertThat((String) first.get("time")).matches(UTC_MICROS);
      assertThat((String) first.get("os_host")).isNotBlank();
      assertThat(object(first, "server"))
          .containsEntry("host", "127.0.0.1")
          .containsEntry("port", server.port())
          .containsEntry("system_identifier", systemIdentifier());
      assertThat(object(first, "session"))
          .containsEntry("pid", terminated.pid())
          .containsEntry("backend_start", Timestamps.utc(terminated.backendStart()))
          .containsEntry("user", PostgresServer.SUPERUSER)
          .containsEntry("database", "postgres")
          .containsEntry("application", app)
          .containsEntry("state", "active")
          .containsEntry("query", "select pg_sleep(60)")
          .containsKeys("client", "query_start", "xact_start");
      assertThat(lines.get(1))
          .containsEntry("pid", cancelled.pid())
          .containsEntry("action", "cancel")
          .containsEntry("decision", "signalled")
          .containsEntry("signalled", true)
          .doesNotContainKey("reason");
      assertThat(terminated.failure().getSQLState()).isEqualTo("57P01");
      assertThat(cancelled.failure().getSQLState()).isEqualTo("57014");
    } finally {
      Victim.closeAll(victims);
    }
  }

  @Test
  void serverDenialIsAuditedWithItsSqlstateMessageAndDetail() throws Exception {
    String monitor = server.createRole("auditmon", "in role pg_monitor");
    try (Victim superuser = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(audited(monitor, "--cancel", Integer.toString(superuser.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
      Map<String, Object> line = AuditLines.of(audit).get(0);
      assertThat(line)
          .containsEntry("decision", "denied")
          .containsEntry("sqlstate", "42501")
          .doesNotContainKey("signalled");
      String said =
          line.get("message")
              + (line.containsKey("detail") ? " DETAIL: " + line.get("detail") : "");
      assertThat(said).isEqualTo(ServerMessages.cancelDenied(server.major(), true));
      assertThat(superuser.stillSleeping()).isTrue();
    }
  }

  /**
   * Every role may read it by default (PUBLIC may execute pg_control_system() on every major): a
   * DBA who revokes that gets lines without it, and no ERROR in the server's log.
   */
  @Test
  void theSystemIdentifierIsLeftOutForARoleThatCannotReadIt() throws Exception {
    String plain = server.createRole("auditplain", "");
    try (Victim own = Victim.sleeping(server, plain)) {
      assertThat(
              server.queryString(
                  plain, "select has_function_privilege('pg_control_system()', 'execute')"))
          .as("PUBLIC may execute pg_control_system() by default")
          .isEqualTo("t");
      String monitor = server.createRole("auditmonitor", "in role pg_monitor");
      server.execute("revoke execute on function pg_control_system() from public");
      Run run;
      try {
        run = Run.of(audited(plain, "--cancel", Integer.toString(own.pid())));
        assertThat(
                server.queryString(
                    PostgresServer.SUPERUSER,
                    "select has_function_privilege('"
                        + monitor
                        + "', 'pg_control_system()', 'execute')"))
            .as("pg_monitor is granted nothing of its own on pg_control_system()")
            .isEqualTo("f");
      } finally {
        server.execute("grant execute on function pg_control_system() to public");
      }

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      Map<String, Object> line = AuditLines.of(audit).get(0);
      assertThat(line).containsEntry("decision", "signalled");
      assertThat(object(line, "server"))
          .containsEntry("port", server.port())
          .doesNotContainKey("system_identifier");
      assertThat(Files.readString(server.log()).lines().filter(l -> l.contains(plain)))
          .noneMatch(l -> l.contains("pg_control_system"));
    }
  }

  @Test
  void overMaxNamesEverySessionItLeftAlone() throws Exception {
    String app = unique("auditmax");
    List<Victim> victims = Victim.sleepers(server, app, 3);
    try {
      Run run =
          Run.of(audited(PostgresServer.SUPERUSER, "--terminate", "-a", app, "--max", "2", "-y"));

      assertThat(run.status()).isEqualTo(5);
      assertThat(run.err()).contains("more than --max 2");
      List<Map<String, Object>> lines = AuditLines.of(audit);
      assertThat(lines).hasSize(3);
      for (Victim victim : victims) {
        Map<String, Object> line = about(lines, victim.pid()).get(0);
        assertThat(line)
            .containsEntry("decision", "over_max")
            .containsEntry("action", "terminate")
            .doesNotContainKey("signalled");
        assertThat(object(line, "session")).containsEntry("application", app);
        assertThat(victim.stillSleeping()).isTrue();
      }
    } finally {
      Victim.closeAll(victims);
    }
  }

  @Test
  void aSelectionDeclinedAtThePromptOrWithNoOneToAskNamesEachSession() throws Exception {
    String app = unique("auditask");
    List<Victim> victims = Victim.sleepers(server, app, 2);
    try {
      Run declined =
          Run.with(
              Map.of(),
              "",
              Run.person(new java.util.ArrayDeque<>(List.of("n")), new StringBuilder()),
              audited(PostgresServer.SUPERUSER, "--cancel", "-a", app));
      Run unasked =
          Run.of(audited(PostgresServer.SUPERUSER, "--cancel", "-a", app, "--reason", "cron"));

      assertThat(declined.status()).as(declined.out() + declined.err()).isEqualTo(5);
      assertThat(unasked.status()).as(unasked.out() + unasked.err()).isEqualTo(5);
      List<Map<String, Object>> lines = AuditLines.of(audit);
      assertThat(lines)
          .extracting(l -> l.get("pid") + " " + l.get("decision"))
          .containsExactlyInAnyOrder(
              victims.get(0).pid() + " not_confirmed",
              victims.get(1).pid() + " not_confirmed",
              victims.get(0).pid() + " no_terminal",
              victims.get(1).pid() + " no_terminal");
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }
    } finally {
      Victim.closeAll(victims);
    }
  }

  /**
   * A pass the policy code runs: the rule and its reason in every line, and every refusal of a
   * safety rule (own session, a non-client backend, no such backend, a replaced one) beside a
   * signal.
   */
  @Test
  void aPassUnderARuleAuditsEveryRefusalAndTheRule() throws Exception {
    try (Connection own = server.connect(PostgresServer.SUPERUSER);
        Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim replaced = Victim.connect(server, PostgresServer.SUPERUSER);
        AuditFile file = AuditFile.open(audit)) {
      int ownPid = backendPid(own);
      int checkpointer = server.pidOf("checkpointer");
      int unused = server.unusedPid();
      Target wrongStart =
          Target.parse(
              replaced.pid() + "@" + Timestamps.utc(replaced.backendStart().minusSeconds(1)));
      Invocation invocation =
          Invocation.signal(
                  Action.CANCEL,
                  Selection.of(
                      List.of(
                          Target.of(victim.pid()),
                          Target.of(ownPid),
                          Target.of(checkpointer),
                          Target.of(unused),
                          wrongStart)),
                  ConnectionRequest.none())
              .withRule("runaway", Optional.of("queries over 5 minutes"));
      List<String> failures = new ArrayList<>();
      AuditTrail trail =
          new AuditTrail(List.of(file), Clock.systemUTC(), "cron", "db-admin", failures::add);

      PassResult result =
          new Pgkill(null, Confirmation.ASSUMED, NOPLogger.NOP_LOGGER, Stopping.UNHEARD, trail)
              .pass(
                  new Connected(own, ServerIdentity.of(own, null)), invocation, PassProgress.NONE);

      assertThat(result.outcomes()).isPresent();
      assertThat(failures).isEmpty();
      List<Map<String, Object>> lines = AuditLines.of(audit);
      assertThat(lines).hasSize(5);
      assertThat(lines)
          .allSatisfy(
              line ->
                  assertThat(line)
                      .containsEntry("rule", "runaway")
                      .containsEntry("reason", "queries over 5 minutes")
                      .containsEntry("os_user", "cron")
                      .containsEntry("os_host", "db-admin")
                      .containsEntry("action", "cancel"));
      assertThat(about(lines, victim.pid()).get(0))
          .containsEntry("decision", "signalled")
          .containsEntry("signalled", true);
      assertThat(about(lines, ownPid).get(0))
          .containsEntry("decision", "own_session")
          .doesNotContainKey("signalled");
      Map<String, Object> protectedLine = about(lines, checkpointer).get(0);
      assertThat(protectedLine).containsEntry("decision", "protected");
      assertThat(object(protectedLine, "session")).containsEntry("backend_type", "checkpointer");
      assertThat(about(lines, unused).get(0))
          .containsEntry("decision", "not_found")
          .doesNotContainKey("session");
      Map<String, Object> replacedLine = about(lines, replaced.pid()).get(0);
      assertThat(replacedLine).containsEntry("decision", "replaced");
      assertThat(object(replacedLine, "session"))
          .containsEntry("backend_start", Timestamps.utc(replaced.backendStart()));
      assertThat(replaced.usable()).isTrue();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
    }
  }

  @Test
  void theSignalIsWrittenBeforeTheWaitAndTheEscalationHasLinesOfItsOwn() throws Exception {
    try (Victim idle = Victim.connect(server, PostgresServer.SUPERUSER)) {
      idle.run("begin").run("select 1");
      Run run =
          Run.of(
              audited(
                  PostgresServer.SUPERUSER,
                  "--cancel",
                  "--escalate=500ms",
                  "--wait=5s",
                  Integer.toString(idle.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      List<Map<String, Object>> lines = AuditLines.of(audit);
      assertThat(lines)
          .extracting(
              l -> l.get("action") + " " + l.get("decision") + " " + l.getOrDefault("wait", "-"))
          .containsExactly(
              "cancel signalled -",
              "terminate signalled -",
              "cancel waited still_in_transaction",
              "terminate waited terminated");
      assertThat(lines.get(1)).containsEntry("escalation", true).containsEntry("signalled", true);
      assertThat(lines.get(0)).doesNotContainKey("escalation");
      assertThat(lines.get(3)).containsEntry("escalation", true).containsKey("waited_ms");
      assertThat(object(lines.get(2), "session")).containsEntry("state", "idle in transaction");
      assertThat(server.hasBackend(idle.pid())).isFalse();
    }
  }

  @Test
  void aDryRunAndAListingWriteNothing() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run dry =
          Run.of(audited(PostgresServer.SUPERUSER, "-t", "-n", Integer.toString(victim.pid())));
      Run list = Run.of(audited(PostgresServer.SUPERUSER, "-l", Integer.toString(victim.pid())));

      assertThat(dry.status()).as(dry.out() + dry.err()).isZero();
      assertThat(list.status()).as(list.out() + list.err()).isZero();
      assertThat(Files.size(audit)).isZero();
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void noPasswordEverReachesTheAuditFile() throws Exception {
    try (Victim first = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim second = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run inUri =
          Run.of(
              "-d",
              "postgresql://"
                  + PostgresServer.SUPERUSER
                  + ":"
                  + PostgresServer.PASSWORD
                  + "@localhost:"
                  + server.port()
                  + "/postgres",
              "--audit-log",
              audit.toString(),
              "-c",
              Integer.toString(first.pid()));
      Run inEnvironment =
          Run.with(
              Map.of("PGPASSWORD", PostgresServer.PASSWORD),
              "",
              dev.pgkill.cli.Terminal.NONE,
              "-h",
              "localhost",
              "-p",
              Integer.toString(server.port()),
              "-U",
              PostgresServer.SUPERUSER,
              "--audit-log",
              audit.toString(),
              "-c",
              Integer.toString(second.pid()));

      assertThat(inUri.status()).as(inUri.out() + inUri.err()).isZero();
      assertThat(inEnvironment.status()).as(inEnvironment.out() + inEnvironment.err()).isZero();
      assertThat(AuditLines.of(audit)).hasSize(2);
      assertThat(Files.readString(audit)).doesNotContain(PostgresServer.PASSWORD);
    }
  }

  @Test
  void anAuditFileThatCannotBeOpenedSignalsNothing() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Path nowhere = scratch.directory().resolve("missing").resolve("audit.log");
      Run run =
          Run.of(
              server.args("--audit-log", nowhere.toString(), "-t", Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo(
              "pgkill: error: cannot open --audit-log "
                  + nowhere
                  + ": no such directory (see pgkill --help)\n");
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void anAuditLineThatCannotBeWrittenIsAnErrorAndNotASuccess() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run =
          Run.of(server.args("--audit-log", "/dev/full", "-c", Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(3);
      assertThat(run.err())
          .startsWith("pgkill: error: could not write to the audit log /dev/full: ")
          .contains("an audit line is missing");
      assertThat(run.lineOf(victim.pid())).contains("signalled");
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
    }
  }
}
