package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.DisabledIfServerVersionAtLeast;
import dev.pgkill.testing.DisabledIfServerVersionBelow;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Choosing by more of what pg_stat_activity shows: wait events, query IDs, query text to leave
 * alone; --count, --columns, and the JSON fields that show them.
 */
@ExtendWith(PostgresExtension.class)
class WaitEventsIT {
  private final PostgresServer server;

  WaitEventsIT(PostgresServer server) {
    this.server = server;
  }

  /**
   * Four sessions of one application, each waiting for something else: a writer idle in its
   * transaction holding a table's lock (Client:ClientRead), a reader queued behind it
   * (Lock:relation), a pg_sleep (Timeout:PgSleep), and an idle session (Client:ClientRead).
   */
  private record Waiters(Victim holder, Victim queued, Victim sleeper, Victim idle)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      queued.close();
      holder.close();
      sleeper.close();
      idle.close();
    }
  }

  private Waiters waiters(String app) throws Exception {
    String table = "waits_" + Long.toHexString(System.nanoTime());
    server.execute("create table " + table + " (x int)");
    Victim holder = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
    Victim queued = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
    Victim sleeper = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
    Victim idle = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
    holder
        .run("begin")
        .run("insert into " + table + " values (1)")
        .run("lock table " + table + " in access exclusive mode");
    queued.queueFor("select * from " + table);
    sleeper.sleep();
    return new Waiters(holder, queued, sleeper, idle);
  }

  private static Set<String> pids(Victim... victims) {
    return java.util.Arrays.stream(victims)
        .map(v -> Integer.toString(v.pid()))
        .collect(Collectors.toSet());
  }

  private Set<String> listed(String app, String... selection) {
    List<String> args = new java.util.ArrayList<>(List.of("--list", "-o", "pid", "-a", app));
    args.addAll(List.of(selection));
    Run run = Run.of(server.args(args.toArray(String[]::new)));
    assertThat(run.err()).isEmpty();
    return run.out().lines().collect(Collectors.toSet());
  }

  @Test
  void waitEventChoosesTheSessionsWaitingForItAndNoBystander() throws Exception {
    String app = unique("waits");
    try (Waiters w = waiters(app)) {
      assertThat(listed(app, "--wait-event", "Lock")).isEqualTo(pids(w.queued()));
      // Typed as a DBA types it: the server's spelling is not required.
      assertThat(listed(app, "--wait-event", "lock:RELATION")).isEqualTo(pids(w.queued()));
      assertThat(listed(app, "--wait-event", "Client:ClientRead"))
          .isEqualTo(pids(w.holder(), w.idle()));
      assertThat(listed(app, "--wait-event", "Timeout:PgSleep")).isEqualTo(pids(w.sleeper()));
      assertThat(listed(app, "--wait-event", "Timeout", "--wait-event", "Lock:relation"))
          .isEqualTo(pids(w.sleeper(), w.queued()));
      Run none = Run.of(server.args("--list", "-a", app, "--wait-event", "IO:DataFileRead"));
      assertThat(none.status()).isEqualTo(1);

      // The default table adds what the sessions were chosen by.
      Run text = Run.of(server.args("--list", "-a", app, "--wait-event", "Lock"));
      assertThat(text.status()).as(text.err()).isZero();
      assertThat(text.out().lines().findFirst().orElseThrow())
          .contains("STATE", "AGE", "WAIT TYPE", "WAIT EVENT", "QUERY");
      assertThat(text.lineOf(w.queued().pid())).contains("Lock", "relation");

      // A named PID that waits for something else is told which filter it fails.
      Run named =
          Run.of(
              server.args(
                  "-c", Integer.toString(w.sleeper().pid()), "--wait-event", "Lock:relation"));
      assertThat(named.status()).isEqualTo(1);
      assertThat(named.lineOf(w.sleeper().pid()))
          .contains("not signalled: does not match --wait-event Lock:relation");

      Run cancel =
          Run.of(server.args("--cancel", "-a", app, "--wait-event", "Lock:relation", "--yes"));
      assertThat(cancel.status()).as(cancel.out() + cancel.err()).isZero();
      assertThat(cancel.lineOf(w.queued().pid())).contains("signalled");
      assertThat(w.queued().failure().getSQLState()).isEqualTo("57014");
      assertThat(w.sleeper().stillSleeping()).isTrue();
      assertThat(w.holder().usable()).isTrue();
    }
  }

  @Test
  void jsonShowsWaitEventTransactionQueryIdAndPortOfEachSession() throws Exception {
    String app = unique("json");
    try (Waiters w = waiters(app)) {
      Run run = Run.of(server.args("--list", "-a", app, "-o", "json"));

      assertThat(run.status()).as(run.err()).isZero();
      Map<Integer, Map<String, Object>> byPid =
          run.out()
              .lines()
              .map(line -> json(line))
              .filter(fields -> "session".equals(fields.get("type")))
              .collect(Collectors.toMap(f -> (Integer) f.get("pid"), f -> f));
      assertThat(byPid.get(w.queued().pid()))
          .containsEntry("wait_event_type", "Lock")
          .containsEntry("wait_event", "relation")
          .containsEntry("backend_xid", null);
      assertThat(byPid.get(w.holder().pid()))
          .containsEntry("wait_event_type", "Client")
          .containsEntry("wait_event", "ClientRead");
      String xid =
          server.queryString(
              PostgresServer.SUPERUSER,
              "select backend_xid from pg_stat_activity where pid = " + w.holder().pid());
      assertThat(byPid.get(w.holder().pid()).get("backend_xid").toString()).isEqualTo(xid);
      String port =
          server.queryString(
              PostgresServer.SUPERUSER,
              "select client_port from pg_stat_activity where pid = " + w.sleeper().pid());
      assertThat(byPid.get(w.sleeper().pid()))
          .containsEntry("wait_event_type", "Timeout")
          .containsEntry("wait_event", "PgSleep")
          .containsEntry("client_port", Integer.parseInt(port))
          .containsKeys("query_id", "client_hostname");
      if (server.major() < 14) {
        assertThat(byPid.get(w.sleeper().pid())).containsEntry("query_id", null);
      }
    }
  }

  @Test
  void countPrintsOnlyTheNumberWithTheStatusOfAListing() throws Exception {
    String app = unique("count");
    try (Waiters w = waiters(app)) {
      Run all = Run.of(server.args("--count", "-a", app));
      Run clientReads =
          Run.of(server.args("-l", "--count", "-a", app, "--wait-event", "Client:ClientRead"));
      Run none = Run.of(server.args("--count", "-a", app + "-nobody"));
      Run json = Run.of(server.args("--count", "-a", app, "-o", "json"));

      assertThat(all.status()).as(all.err()).isZero();
      assertThat(all.out()).isEqualTo("4\n");
      assertThat(clientReads.out()).isEqualTo("2\n");
      assertThat(none.status()).isEqualTo(1);
      assertThat(none.out()).isEqualTo("0\n");
      assertThat(json.out().lines()).hasSize(1);
      assertThat(json(json.out().strip()))
          .containsEntry("type", "summary")
          .containsEntry("sessions", 4);
      assertThat(w.sleeper().stillSleeping()).isTrue();
    }
  }

  @Test
  void notQueryLeavesOutWhatMatchesAndHonoursIgnoreCase() throws Exception {
    String app = unique("notq");
    try (Waiters w = waiters(app)) {
      assertThat(listed(app, "--not-query", "pg_sleep"))
          .isEqualTo(pids(w.holder(), w.queued(), w.idle()));
      assertThat(listed(app, "--not-query", "PG_SLEEP"))
          .contains(pids(w.sleeper()).iterator().next());
      assertThat(listed(app, "--not-query", "PG_SLEEP", "-i"))
          .isEqualTo(pids(w.holder(), w.queued(), w.idle()));
      // The idle session's last query was the select that asked for its PID.
      assertThat(listed(app, "--query", "^select", "--not-query", "pg_sleep"))
          .isEqualTo(pids(w.queued(), w.idle()));

      // Alone it only narrows: it never chooses sessions to signal.
      Run alone = Run.of(server.args("--terminate", "--not-query", "pg_sleep", "--yes"));
      assertThat(alone.status()).isEqualTo(2);
      assertThat(alone.err()).contains("pgkill never means every session");
      Run bad = Run.of(server.args("--list", "-a", app, "--not-query", "[z-a]"));
      assertThat(bad.status()).isEqualTo(2);
      assertThat(bad.err()).startsWith("pgkill: error: invalid --not-query regular expression");
      assertThat(w.sleeper().stillSleeping()).isTrue();
    }
  }

  @Test
  void columnsChoosesTheTablesColumnsInTheirOrder() throws Exception {
    String app = unique("cols");
    try (Waiters w = waiters(app)) {
      Run run =
          Run.of(
              server.args(
                  "--list", "-a", app, "--columns", "query,pid,wait_event", "--columns", "user"));

      assertThat(run.status()).as(run.err()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines.get(0)).matches("PID +WAIT EVENT +USER +QUERY");
      assertThat(run.lineOf(w.queued().pid()))
          .matches(w.queued().pid() + " +relation +postgres +select \\* from waits_.*");
      assertThat(run.lineOf(w.sleeper().pid())).contains("PgSleep").doesNotContain(app);

      Run noQuery = Run.of(server.args("--list", "-a", app, "--columns", "pid,state"));
      assertThat(noQuery.out().lines().findFirst().orElseThrow()).matches("PID +STATE");
      assertThat(noQuery.lineOf(w.sleeper().pid())).endsWith("active");

      Run signal =
          Run.of(
              server.args(
                  "-c", "-n", Integer.toString(w.sleeper().pid()), "--columns", "wait_event"));
      assertThat(signal.out().lines().findFirst().orElseThrow()).matches("WAIT EVENT +RESULT");
      assertThat(w.sleeper().stillSleeping()).isTrue();
    }
  }

  @Test
  @DisabledIfServerVersionBelow(value = 14, reason = "query_id exists from 14")
  void queryIdChoosesTheSessionRunningThatQuery() throws Exception {
    String app = unique("qid");
    // compute_query_id is auto by default, which computes nothing without pg_stat_statements: a
    // superuser's session may turn it on for itself.
    try (Victim computed = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
        Victim bystander = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      computed.run("set compute_query_id = on");
      computed.sleep();
      bystander.sleep();
      String id =
          server.queryString(
              PostgresServer.SUPERUSER,
              "select query_id from pg_stat_activity where pid = " + computed.pid());
      assertThat(id).isNotNull();

      Run run = Run.of(server.args("--list", "-a", app, "--query-id", id));
      Run json = Run.of(server.args("--list", "-a", app, "--query-id", id, "-o", "json"));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(run.out().lines().findFirst().orElseThrow()).contains("QUERY ID");
      assertThat(run.lineOf(computed.pid())).contains(id);
      assertThat(run.out()).doesNotContain(bystander.pid() + " ").endsWith("1 session\n");
      Map<String, Object> fields = json(json.out().lines().findFirst().orElseThrow());
      assertThat(fields).containsEntry("pid", computed.pid());
      assertThat(((Number) fields.get("query_id")).longValue()).isEqualTo(Long.parseLong(id));
      assertThat(computed.stillSleeping()).isTrue();
    }
  }

  @Test
  @DisabledIfServerVersionBelow(value = 14, reason = "query_id exists from 14")
  void queryIdIsRefusedWithTheReasonWhereNoSessionHasOne() throws Exception {
    // The shared server runs with compute_query_id = auto and no pg_stat_statements; a session
    // that turned it on for itself may take a moment to leave.
    PostgresServer.await(
        "no session to show a query_id",
        java.time.Duration.ofSeconds(10),
        () -> {
          try {
            return "0"
                .equals(
                    server.queryString(
                        PostgresServer.SUPERUSER,
                        "select count(*) from pg_stat_activity where query_id is not null"
                            + " and pid <> pg_backend_pid()"));
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        });
    Run run = Run.of(server.args("--list", "--query-id", "42"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith(
            "pgkill: error: --query-id cannot match: this server computes no query IDs"
                + " (compute_query_id is auto and no module such as pg_stat_statements asks for"
                + " them)");
  }

  @Test
  @DisabledIfServerVersionAtLeast(
      value = 14,
      reason = "the refusal is for servers without query_id")
  void queryIdIsRefusedNamingTheServerVersionBefore14() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--cancel", Integer.toString(victim.pid()), "--query-id", "42"));

      assertThat(run.status()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .startsWith(
              "pgkill: error: --query-id needs PostgreSQL 14 or later, where pg_stat_activity"
                  + " shows query_id; this server is "
                  + server.major()
                  + ".");
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  @DisabledIfServerVersionBelow(value = 17, reason = "pg_wait_events lists the events from 17")
  void aWaitEventNameTheServerDoesNotHaveIsRefusedAndNothingIsSignalled() throws Exception {
    String app = unique("waitname");
    try (Victim sleeper = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      sleeper.sleep();

      Run misspelt =
          Run.of(server.args("--cancel", "--yes", "-a", app, "--wait-event", "Timeout:PgSleeep"));
      Run spelt = Run.of(server.args("--list", "-a", app, "--wait-event", "timeout:PGSLEEP"));
      // An extension's LWLock tranche is never in pg_wait_events, yet sessions wait on it.
      Run tranche =
          Run.of(server.args("--list", "-a", app, "--wait-event", "LWLock:pg_stat_statements"));

      assertThat(misspelt.status()).isEqualTo(2);
      assertThat(misspelt.out()).isEmpty();
      assertThat(misspelt.err())
          .isEqualTo(
              "pgkill: error: unknown --wait-event Timeout:PgSleeep: PostgreSQL "
                  + server.queryString(PostgresServer.SUPERUSER, "show server_version")
                      .split(" ")[0]
                  + " has no Timeout wait event of that name (pg_wait_events lists them) (see"
                  + " pgkill --help)\n");
      assertThat(sleeper.stillSleeping()).as("nothing was signalled").isTrue();
      assertThat(spelt.status()).as(spelt.err()).isZero();
      assertThat(spelt.lineOf(sleeper.pid())).isNotEmpty();
      assertThat(tranche.status()).as(tranche.err()).isEqualTo(1);
    }
  }
}
