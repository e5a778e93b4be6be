package dev.pgkill;

import static dev.pgkill.testing.Fixtures.backendPid;
import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.report.TextReport;
import dev.pgkill.run.Confirmation;
import dev.pgkill.run.ExitStatus;
import dev.pgkill.run.Invocation;
import dev.pgkill.run.Pgkill;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import dev.pgkill.text.Timestamps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.helpers.NOPLogger;

/**
 * Which backend pgkill signals: the one named, with the identity it had when chosen, and never its
 * own session.
 */
@ExtendWith(PostgresExtension.class)
class IdentityIT {
  private final PostgresServer server;

  IdentityIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void cancelledQueryFailsWith57014AndItsSessionStaysUsable() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim bystander = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(victim.usable()).isTrue();
      assertThat(bystander.stillSleeping()).isTrue();
      assertThat(run.lineOf(victim.pid()))
          .contains("postgres", "pgkill-test", "127.0.0.1", "active", "select pg_sleep(60)")
          .contains("signalled (pg_cancel_backend returned true)");
      assertThat(run.out()).endsWith("cancel: 1 of 1 target signalled\n");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void terminatedSessionIsGoneFromPgStatActivity() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER);
        Victim bystander = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--terminate", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
      victim.awaitGone();
      assertThat(victim.usable()).isFalse();
      assertThat(bystander.stillSleeping()).isTrue();
      assertThat(run.lineOf(victim.pid()))
          .contains("signalled (pg_terminate_backend returned true)");
    }
  }

  @Test
  void unknownPidIsReportedAndNothingIsSignalled() throws Exception {
    int unused = server.unusedPid();
    Run run = Run.of(server.args("--terminate", Integer.toString(unused)));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.lineOf(unused))
        .contains("not signalled: not a PostgreSQL backend of this server");
    assertThat(run.out()).endsWith("terminate: 0 of 1 target signalled, 1 not\n");
  }

  @Test
  void aProcessThatIsNotPostgresIsNeverSignalled() {
    int testJvm = (int) ProcessHandle.current().pid();
    Run run = Run.of(server.args("--terminate", Integer.toString(testJvm)));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.lineOf(testJvm)).contains("not a PostgreSQL backend of this server");
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  void pidWhoseBackendStartNoLongerMatchesIsNotSignalled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      String earlier = Target.token(victim.pid(), victim.backendStart().minusSeconds(90));
      Run run = Run.of(server.args("--terminate", earlier));

      assertThat(run.status()).isEqualTo(1);
      assertThat(victim.stillSleeping()).isTrue();
      assertThat(run.lineOf(victim.pid()))
          .contains(
              "not signalled: PID "
                  + victim.pid()
                  + " now belongs to a backend started "
                  + Timestamps.utc(victim.backendStart()));
    }
  }

  @Test
  void pidWithItsOwnBackendStartIsSignalled() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("--cancel", Target.token(victim.pid(), victim.backendStart())));

      assertThat(run.status()).as(run.out()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
    }
  }

  @Test
  void ownSessionIsNeverSignalled() throws Exception {
    try (Connection own = server.connect(PostgresServer.SUPERUSER)) {
      int ownPid = backendPid(own);
      StringWriter out = new StringWriter();
      Invocation invocation =
          Invocation.signal(
              Action.TERMINATE, Selection.of(List.of(Target.of(ownPid))), ConnectionRequest.none());

      ExitStatus status =
          new Pgkill(null, Confirmation.ASSUMED, NOPLogger.NOP_LOGGER)
              .run(
                  new dev.pgkill.connect.Connected(
                      own, dev.pgkill.connect.ServerIdentity.of(own, null)),
                  invocation,
                  new TextReport(new PrintWriter(out), new PrintWriter(out), false, 0));

      assertThat(status).isEqualTo(ExitStatus.NOTHING_DONE);
      assertThat(out.toString()).contains("not signalled: pgkill's own session");
      assertThat(backendPid(own)).isEqualTo(ownPid);
    }
  }

  @Test
  void sessionWhoseBackendStartIsHiddenIsNotSignalled() throws Exception {
    String plain = server.createRole("plain", "");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      server.execute("grant pg_signal_backend to " + plain);
      Run run = Run.of(server.argsAs(plain, "--terminate", Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(1);
      assertThat(victim.stillSleeping()).isTrue();
      assertThat(run.lineOf(victim.pid()))
          .contains(
              "cannot be identified safely (grant pg_read_all_stats or pg_monitor, or use --unverified)");
    }
  }

  @Test
  void unverifiedOptInSignalsAHiddenSessionCheckingUserAndDatabase() throws Exception {
    String signaller = server.createRole("signaller", "in role pg_signal_backend");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      // Its type is hidden too: it could be a parallel worker. Both risks need saying yes to.
      Run typeHidden =
          Run.of(
              server.argsAs(signaller, "--cancel", "--unverified", Integer.toString(victim.pid())));
      assertThat(typeHidden.status()).isEqualTo(1);
      assertThat(typeHidden.lineOf(victim.pid()))
          .contains(
              "not signalled: its backend type is hidden from pgkill's role, so it may not be a client"
                  + " backend (grant pg_read_all_stats or pg_monitor, or use --backend-type any)");
      assertThat(victim.stillSleeping()).isTrue();

      Run run =
          Run.of(
              server.argsAs(
                  signaller,
                  "--cancel",
                  "--unverified",
                  "--backend-type",
                  "any",
                  Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(run.lineOf(victim.pid()))
          .contains(other, "signalled (pg_cancel_backend returned true)");
    }
  }

  @Test
  void oneSignalledAndOneNotIsPartial() throws Exception {
    int unused = server.unusedPid();
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run =
          Run.of(server.args("--cancel", Integer.toString(victim.pid()), Integer.toString(unused)));

      assertThat(run.status()).isEqualTo(4);
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(run.out()).endsWith("cancel: 1 of 2 targets signalled, 1 not\n");
    }
  }

  @Test
  void newestAmongSessionsWhoseStartIsHiddenPicksNothing() throws Exception {
    String plain = server.createRole("plain", "in role pg_signal_backend");
    String other = server.createRole("other", "");
    String app = unique("newest");
    try (Victim older = Victim.connect(server, other, "postgres", app);
        Victim newer = Victim.connect(server, other, "postgres", app)) {
      older.sleep();
      newer.sleep();
      Run run =
          Run.of(server.argsAs(plain, "--cancel", "--newest", "--unverified", "-a", app, "--yes"));

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.out()).doesNotContain("signalled (");
      String hint =
          "pgkill: hint: --newest chose nothing: the backend_start of 2 matching sessions"
              + " is hidden from role "
              + plain
              + ", so which one connected last cannot be told;"
              + " grant pg_read_all_stats (or pg_monitor) to "
              + plain
              + "\n";
      assertThat(run.err()).isEqualTo(hint);
      // A listing of "the newest" lists none of them either, rather than every candidate.
      Run listed =
          Run.of(
              server.argsAs(
                  plain, "-l", "--newest", "--backend-type", "any", "-a", app, "-o", "pid"));
      assertThat(listed.status()).isEqualTo(1);
      assertThat(listed.out()).isEmpty();
      assertThat(listed.err()).isEqualTo(hint);
      assertThat(older.stillSleeping()).isTrue();
      assertThat(newer.stillSleeping()).isTrue();
    }
  }
}
