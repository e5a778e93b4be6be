package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.HorizonHolders.PreparedHolder;
import dev.pgkill.select.HorizonHolders.SlotHolder;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.LockWait;
import dev.pgkill.select.LockWanted;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Outcome.Result;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import dev.pgkill.signal.Waited.Ending;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextReportTest {
  private static final OffsetDateTime STARTED = OffsetDateTime.parse("2026-11-25T20:30:54.123456Z");

  private static Session session(int pid, String user, String type, String query) {
    return Session.builder(pid)
        .backendStart(STARTED)
        .user(user)
        .database("shop")
        .application("psql")
        .client("10.0.0.7")
        .backendType(type)
        .state("active")
        .times(STARTED, STARTED, STARTED)
        .query(query)
        .age(java.time.Duration.ofSeconds(3725))
        .build();
  }

  private static Session idle(int pid) {
    return Session.builder(pid)
        .backendStart(STARTED)
        .user("erin")
        .database("shop")
        .application("billing")
        .client("10.0.0.9")
        .backendType("client backend")
        .state("idle in transaction")
        .times(STARTED, STARTED, STARTED)
        .query("select * from orders for update")
        .age(Duration.ofSeconds(840))
        .build();
  }

  /** One outcome of every kind, as a golden file pins them. */
  static List<Outcome> everyResult() {
    Session sleeper = session(4242, "alice", "client backend", "select pg_sleep(600)");
    Session stuck = session(4254, "alice", "client backend", "select pg_sleep(600)");
    Session idle =
        Session.builder(4253)
            .backendStart(STARTED)
            .user("erin")
            .database("shop")
            .application("billing")
            .client("10.0.0.9")
            .backendType("client backend")
            .state("idle in transaction")
            .times(STARTED, STARTED, STARTED)
            .query("select * from orders for update")
            .age(Duration.ofSeconds(840))
            .build();
    Session longQuery =
        session(
            4243,
            "bob",
            "client backend",
            "update orders\n   set status = 'shipped'\n where id in (select id from pending where age > 3)");
    return List.of(
        Outcome.of(Target.of(4242), sleeper, Action.CANCEL, Result.SIGNALLED),
        Outcome.of(
            Target.of(4243),
            longQuery,
            Action.CANCEL,
            Result.DENIED,
            new ServerMessage(
                "ERROR",
                "42501",
                "permission denied to cancel query",
                "Only roles with the SUPERUSER attribute may cancel queries of roles with the"
                    + " SUPERUSER attribute.")),
        Outcome.of(Target.of(99999), null, Action.CANCEL, Result.NOT_FOUND),
        Outcome.of(
            Target.of(4244),
            session(4244, null, "checkpointer", ""),
            Action.CANCEL,
            Result.PROTECTED),
        Outcome.of(
            Target.of(4245),
            session(4245, "carol", "client backend", "select 1"),
            Action.CANCEL,
            Result.OWN_SESSION),
        Outcome.of(
            new Target(4246, Optional.of(STARTED.minusSeconds(60))),
            sleeper,
            Action.CANCEL,
            Result.REPLACED),
        Outcome.of(Target.of(4247), sleeper, Action.CANCEL, Result.GONE),
        Outcome.of(
            Target.of(4248),
            sleeper,
            Action.CANCEL,
            Result.WARNING,
            new ServerMessage(
                "WARNING", "01000", "PID 4248 is not a PostgreSQL backend process", null)),
        Outcome.of(
            Target.of(4249),
            Session.builder(4249)
                .user("dave")
                .database("shop")
                .application("app")
                .query("<insufficient privilege>")
                .build(),
            Action.CANCEL,
            Result.UNVERIFIABLE),
        Outcome.of(
            Target.of(4250),
            sleeper,
            Action.CANCEL,
            Result.CONNECTION_LOST,
            new ServerMessage(
                "ERROR", "08006", "An I/O error occurred while sending to the backend.", null)),
        Outcome.of(Target.of(4251), sleeper, Action.CANCEL, Result.NOT_ATTEMPTED),
        Outcome.of(
                Target.of(4252),
                session(4252, "alice", "client backend", "select pg_sleep(600)"),
                Action.CANCEL,
                Result.SIGNALLED)
            .withWaited(new Waited(Ending.CANCELLED, Duration.ofMillis(120))),
        Outcome.of(Target.of(4253), idle, Action.CANCEL, Result.SIGNALLED)
            .withWaited(new Waited(Ending.STILL_IN_TRANSACTION, Duration.ofSeconds(10)))
            .withEscalation(
                Outcome.of(Target.of(4253), idle, Action.TERMINATE, Result.SIGNALLED)
                    .withWaited(new Waited(Ending.TERMINATED, Duration.ofMillis(35)))),
        Outcome.of(Target.of(4254), stuck, Action.CANCEL, Result.SIGNALLED)
            .withWaited(new Waited(Ending.STILL_RUNNING, Duration.ofSeconds(10)))
            .withEscalation(
                Outcome.of(
                    Target.of(4254),
                    stuck,
                    Action.TERMINATE,
                    Result.DENIED,
                    new ServerMessage(
                        "ERROR", "42501", "permission denied to terminate process", null))),
        Outcome.of(
                Target.of(4255),
                session(4255, "bob", "client backend", "select 1"),
                Action.CANCEL,
                Result.NOT_MATCHED)
            .withReason("does not match --user app"),
        Outcome.of(Target.of(4256), idle(4256), Action.CANCEL, Result.SIGNALLED)
            .withWaited(new Waited(Ending.ENDED_BY_ITSELF, Duration.ofMillis(800))),
        Outcome.of(Target.of(4257), idle(4257), Action.CANCEL, Result.SIGNALLED)
            .withWaited(new Waited(Ending.STILL_IN_TRANSACTION, Duration.ofSeconds(10)))
            .withEscalation(
                Outcome.of(
                    Target.of(4257), idle(4257), Action.TERMINATE, Result.FINISHED_IN_GRACE)),
        Outcome.of(
                Target.of(4258),
                session(4258, "alice", "client backend", "select 1"),
                Action.CANCEL,
                Result.SIGNALLED)
            .withWaited(new Waited(Ending.NOTHING_TO_CANCEL, Duration.ofMillis(3))),
        Outcome.of(
                Target.of(4259),
                session(4259, "alice", "client backend", "select pg_sleep(600)"),
                Action.CANCEL,
                Result.SIGNALLED)
            .withWaited(new Waited(Ending.CONNECTION_LOST, Duration.ofMillis(1500))),
        Outcome.of(
                Target.of(4260),
                session(4260, "alice", "client backend", "select pg_sleep(600)"),
                Action.CANCEL,
                Result.SIGNALLED)
            .stoppedWhileWaiting(Duration.ofSeconds(2)));
  }

  /** The run the golden files show: a cancel with --escalate. */
  static final Asked ESCALATED = new Asked(Action.CANCEL, false, true);

  @Test
  void everyResultAsTheGoldenFileShowsIt() throws IOException {
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .outcomes(ESCALATED, everyResult());

    assertThat(out.toString()).isEqualTo(golden("text-report.txt"));
  }

  @Test
  void overSeveralServersARulesHeaderNamesItsServerAndThePolicysRunLineNoAction() {
    StringWriter out = new StringWriter();
    TextReport report =
        new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0);
    Session sleeper = session(4242, "alice", "client backend", "select pg_sleep(600)");
    List<Outcome> outcomes =
        List.of(
            Outcome.of(Target.of(4242), sleeper, Action.CANCEL, Result.SIGNALLED),
            Outcome.of(Target.of(4243), sleeper, Action.TERMINATE, Result.GONE));

    report
        .on(new ServerTag("db1", "10.0.0.5", 5432, Optional.empty(), Optional.of(false)))
        .rule("reports", Optional.of("reports run at night"));
    report.rule("single", Optional.empty());
    report.run(
        new RunSummary(
            3,
            List.of("db3"),
            List.of(),
            Optional.of(Asked.signal(Action.CANCEL)),
            outcomes,
            List.of(),
            4,
            true));

    assertThat(out.toString())
        .isEqualTo(
            "db1: rule reports: reports run at night\n"
                + "rule single\n"
                + "all 3 servers: 2 reached, 1 not (db3); policy: 1 of 2 targets signalled,"
                + " 1 not\n");
  }

  @Test
  void errorIsOneLineOnStandardError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(err), false, 0).error("could not connect");

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo("pgkill: error: could not connect\n");
  }

  @Test
  void colourMarksTheResultOnly() {
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), true, 0)
        .outcomes(Action.CANCEL, everyResult().subList(0, 2));

    assertThat(out.toString())
        .contains("\033[32msignalled (pg_cancel_backend returned true)\033[0m")
        .contains("\033[31mnot signalled: ERROR 42501")
        .startsWith("PID ");
  }

  @Test
  void queryIsCutToTheTerminalsWidth() {
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 120)
        .sessions(List.of(everyResult().get(1).session().orElseThrow()));

    assertThat(out.toString().lines().toList().get(1)).hasSize(120).endsWith("...");
  }

  @Test
  void noRowIsWiderThanTheTerminalEvenWhenLittleIsLeftForTheQuery() {
    Session session =
        Session.builder(4242)
            .backendStart(STARTED)
            .user("alice")
            .database("shop")
            .application("a-rather-long-application-name")
            .client("10.0.0.7")
            .backendType("client backend")
            .state("active")
            .times(STARTED, STARTED, STARTED)
            .query("select pg_sleep(600)")
            .age(Duration.ofSeconds(5))
            .build();
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .sessions(List.of(session));
    int used = out.toString().lines().findFirst().orElseThrow().indexOf("QUERY");

    StringWriter narrow = new StringWriter();
    new TextReport(new PrintWriter(narrow), new PrintWriter(new StringWriter()), false, used + 8)
        .sessions(List.of(session));

    List<String> lines = narrow.toString().lines().toList();
    assertThat(lines.get(0)).hasSize(used + 5).endsWith("QUERY");
    assertThat(lines.get(1)).hasSize(used + 8).endsWith("  selec...");
  }

  @Test
  void wideAndCombiningCharactersAreCountedInColumnsWhenAligningAndCutting() {
    Session chinese =
        Session.builder(4301)
            .backendStart(STARTED)
            .user("报表员")
            .database("shop")
            .application("月报")
            .client("10.0.0.7")
            .backendType("client backend")
            .state("active")
            .times(STARTED, STARTED, STARTED)
            .query("select '" + "报表".repeat(50) + "'")
            .age(Duration.ofSeconds(5))
            .build();
    Session accented =
        Session.builder(4302)
            .backendStart(STARTED)
            .user("Zoe\u0301")
            .database("shop")
            .application("cafe\u0301")
            .client("10.0.0.7")
            .backendType("client backend")
            .state("active")
            .times(STARTED, STARTED, STARTED)
            .query("select 1")
            .age(Duration.ofSeconds(5))
            .build();
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 80)
        .sessions(List.of(chinese, accented));

    List<String> lines = out.toString().lines().toList();
    // Each column starts at the same display column on every line.
    for (String column : List.of("shop", "10.0.0.7", "active")) {
      assertThat(lines.subList(1, 3))
          .allSatisfy(
              line ->
                  assertThat(DisplayWidth.of(line.substring(0, line.indexOf(column))))
                      .isEqualTo(
                          lines
                              .get(0)
                              .indexOf(
                                  column.equals("shop")
                                      ? "DATABASE"
                                      : column.equals("active") ? "STATE" : "CLIENT")));
    }
    assertThat(DisplayWidth.of(lines.get(1))).isBetween(79, 80);
    assertThat(lines.get(1)).endsWith("报表...");
  }

  @Test
  void displayWidthCountsColumnsNotCharacters() {
    assertThat(DisplayWidth.of("报表")).isEqualTo(4);
    assertThat(DisplayWidth.of("ｆｕｌｌ")).isEqualTo(8);
    assertThat(DisplayWidth.of("한국어")).isEqualTo(6);
    assertThat(DisplayWidth.of("cafe\u0301")).isEqualTo(4);
    assertThat(DisplayWidth.of("a\u200db")).isEqualTo(2);
    assertThat(DisplayWidth.of("\uD840\uDC0B")).isEqualTo(2); // a CJK extension B ideograph
    assertThat(DisplayWidth.cut("报表报表报表", 8)).isEqualTo("报表...");
    assertThat(DisplayWidth.cut("报表报表报表", 7)).isEqualTo("报表...");
    assertThat(DisplayWidth.cut("报表报表报表", 12)).isEqualTo("报表报表报表");
    assertThat(DisplayWidth.cut("cafe\u0301 au lait", 7)).isEqualTo("cafe\u0301...");
    assertThat(DisplayWidth.cut("select", 2)).isEqualTo("..");
  }

  @Test
  void escapeSequencesFromClientsNeverReachTheTerminal() {
    Session hostile =
        Session.builder(7)
            .backendStart(STARTED)
            .user("eve\u001b]0;owned\u0007")
            .database("shop")
            .application("\u001b[2J\u001b[31mapp")
            .client("local")
            .backendType("client backend")
            .state("active")
            .query("select 1;\u001b[1A")
            .build();
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .sessions(List.of(hostile));

    assertThat(out.toString())
        .doesNotContain("\u001b", "\u0007")
        .contains("eve\\x1b]0;owned\\x07", "\\x1b[2J\\x1b[31mapp", "select 1;\\x1b[1A");
  }

  @Test
  void xminAgeSaysWhetherItIsAnOpenWritersXidOrASnapshotsXmin() {
    Session writer =
        Session.builder(8)
            .backendStart(STARTED)
            .user("app")
            .database("shop")
            .application("psql")
            .client("local")
            .backendType("client backend")
            .state("idle in transaction")
            .times(STARTED, STARTED, STARTED)
            .query("insert into t values (1)")
            .age(Duration.ofSeconds(9))
            .xmin(35L, "backend_xid")
            .build();
    Session reader =
        Session.builder(9)
            .backendStart(STARTED)
            .user("app")
            .database("shop")
            .application("psql")
            .client("local")
            .backendType("client backend")
            .state("idle in transaction")
            .times(STARTED, STARTED, STARTED)
            .query("select 1")
            .age(Duration.ofSeconds(9))
            .xmin(1234L, "backend_xmin")
            .build();
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .sessions(List.of(writer, reader));

    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).contains("XMIN AGE");
    assertThat(lines.get(1)).contains("  35 xid  ");
    assertThat(lines.get(2)).contains("  1234 xmin  ");
  }

  @Test
  void lockWaitAndPlaceInGroupGetColumnsOnlyWhenAsked() {
    Session waiter =
        Session.builder(8)
            .backendStart(STARTED)
            .user("app")
            .database("shop")
            .application("web")
            .client("local")
            .backendType("client backend")
            .state("active")
            .times(STARTED, STARTED, STARTED)
            .query("insert into orders values (1)")
            .age(Duration.ofSeconds(9))
            .lockWait(
                Duration.ofMillis(2500),
                new LockWanted("RowExclusiveLock", "relation", "public.orders"))
            .group(3, 5)
            .build();
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .sessions(List.of(waiter));

    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).contains("  LOCK WAIT  ", "  NEWEST  ");
    assertThat(lines.get(1)).contains("  2s RowExclusiveLock on public.orders  3 of 5  insert");

    StringWriter plain = new StringWriter();
    new TextReport(new PrintWriter(plain), new PrintWriter(new StringWriter()), false, 0)
        .sessions(List.of(Session.builder(9).user("app").build()));
    assertThat(plain.toString()).doesNotContain("LOCK WAIT", "NEWEST");
  }

  @Test
  void aPreparedTransactionListedByAgeSaysWhenItWasPrepared() {
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .horizonHolders(
            new HorizonHolders(
                List.of(
                    new PreparedHolder("batch-7", "eve", "shop", 12L, Duration.ofSeconds(3725))),
                List.of()));

    assertThat(out.toString())
        .isEqualTo(
            "prepared transaction 'batch-7' (owner eve, database shop) holds back vacuum: its"
                + " transaction is 12 transactions old, prepared 1h02m ago; never signalled (no"
                + " session to signal); end it with ROLLBACK PREPARED 'batch-7'\n");
  }

  @Test
  void horizonHoldersAreHintsNamedSafely() {
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .horizonHolders(
            new HorizonHolders(
                List.of(new PreparedHolder("it's\u001b[2J", "eve\nroot", "shop", 2000L)),
                List.of(
                    new SlotHolder("sub_1", "logical", "shop", null, 3000L, "catalog_xmin"),
                    new SlotHolder("standby_1", "physical", null, 4242, 1500L, "xmin"))));

    assertThat(out.toString().lines().toList()).hasSize(3);
    assertThat(out.toString().lines().toList().get(0))
        .startsWith(
            "prepared transaction E'it''s\\x1b[2J' (owner eve root, database shop) holds"
                + " back vacuum: its transaction is 2000 transactions old; never signalled")
        .doesNotContain("\u001b");
    assertThat(out.toString())
        .contains(
            "replication slot 'sub_1' (logical, database shop, inactive) holds back vacuum:"
                + " its catalog_xmin is 3000 transactions old; never signalled (no session to signal);"
                + " if nothing uses it any more, drop it with"
                + " SELECT pg_drop_replication_slot('sub_1')")
        .contains(
            "replication slot 'standby_1' (physical, used by walsender 4242) holds back"
                + " vacuum: its xmin is 1500 transactions old");
  }

  @Test
  void aLockCycleIsShownAsACycleUnderTheSessionStandingForIt() {
    LockGraph cycle =
        new LockGraph(
            List.of(
                new LockWait(
                    10,
                    "app",
                    "active",
                    "update t set x = 1 where id = 2",
                    Duration.ofSeconds(30),
                    List.of(11),
                    STARTED),
                new LockWait(
                    11,
                    "app",
                    "active",
                    "update t set x = 2 where id = 1",
                    Duration.ofSeconds(20),
                    List.of(10),
                    STARTED.plusSeconds(1))),
            List.of());
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .sessions(
            List.of(session(11, "app", "client backend", "update t set x = 2 where id = 1")),
            cycle);

    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(1)).startsWith("11 ");
    assertThat(lines.get(2))
        .isEqualTo("  ↻ lock cycle: 11 waits for 10, which waits for 11; ending 11 breaks it");
    assertThat(lines.get(3)).startsWith("  └─ 10  app  waiting 30s  update t set x = 1");
    assertThat(lines.get(4)).isEqualTo("1 session");
  }

  @Test
  void aPreparedTransactionsGidOwnerAndDatabaseAreEscapedAndItsHintPastes() {
    LockGraph.PreparedBlocker blocker =
        new LockGraph.PreparedBlocker(
            "tx\u001b[2J\nit's", "eve\u001b]0;owned\u0007", "shop\r\nx", List.of(7, 8));
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .preparedBlockers(List.of(blocker), LockGraph.NONE);

    assertThat(out.toString())
        .doesNotContain("\u001b", "\u0007", "\r")
        .hasLineCount(1)
        .isEqualTo(
            "prepared transaction E'tx\\x1b[2J\\nit''s' (owner eve\\x1b]0;owned\\x07,"
                + " database shop x) blocks 7, 8: never signalled (no session to signal); end it with"
                + " ROLLBACK PREPARED E'tx\\x1b[2J\\nit''s'\n");
  }

  @Test
  void aBackendTypeIsNamedWithTheRightArticle() {
    Outcome launcher =
        Outcome.of(
            Target.of(9),
            session(9, null, "autovacuum launcher", ""),
            Action.TERMINATE,
            Result.PROTECTED);
    Outcome walsender =
        Outcome.of(
            Target.of(9), session(9, null, "walsender", ""), Action.TERMINATE, Result.PROTECTED);

    assertThat(ResultText.of(launcher)).startsWith("not signalled: an autovacuum launcher, not a");
    assertThat(ResultText.of(walsender)).startsWith("not signalled: a walsender, not a");
    Outcome archiver =
        Outcome.of(
            Target.of(9),
            session(9, null, "archiver", ""),
            Action.TERMINATE,
            Result.WOULD_BE_REFUSED_AUXILIARY);
    Outcome ioWorker =
        Outcome.of(
            Target.of(9),
            session(9, null, "io worker", ""),
            Action.TERMINATE,
            Result.MAY_BE_REFUSED);
    assertThat(ResultText.of(archiver))
        .startsWith("would be refused: the server never signals an archiver, an auxiliary");
    assertThat(ResultText.of(ioWorker)).contains("whether the server signals an io worker for");
  }

  @Test
  void aSessionGoneBeforeTheEscalationsTerminateEndedByItselfAndNeededNone() {
    Session idle = session(4270, "erin", "client backend", "select 1");
    Outcome gone =
        Outcome.of(Target.of(4270), idle, Action.CANCEL, Result.SIGNALLED)
            .withWaited(new Waited(Ending.STILL_IN_TRANSACTION, Duration.ofSeconds(10)))
            .withEscalation(Outcome.of(Target.of(4270), idle, Action.TERMINATE, Result.GONE));

    assertThat(gone.done()).isTrue();
    assertThat(Summary.of(ESCALATED, List.of(gone)))
        .isEqualTo("cancel: 1 of 1 target signalled; 0 needed a terminate; 1 ended by itself");
  }

  /** A process as a role without pg_read_all_stats sees it: type, start and state hidden. */
  private static Session hidden(int pid, String user) {
    return Session.builder(pid)
        .user(user)
        .database(user == null ? null : "shop")
        .application("")
        .query("<insufficient privilege>")
        .build();
  }

  private static String lineOf(String report, int pid) {
    return report.lines().filter(l -> l.startsWith(pid + " ")).findFirst().orElseThrow();
  }

  @Test
  void dryRunSaysWhatTheServerWouldRefuseAndWhyAndDoesNotCountIt() {
    Session launcher =
        Session.builder(4304)
            .backendStart(STARTED)
            .application("")
            .backendType("autovacuum launcher")
            .query("")
            .build();
    Session worker =
        Session.builder(4305)
            .backendStart(STARTED)
            .database("shop")
            .application("")
            .backendType("autovacuum worker")
            .state("active")
            .query("autovacuum: VACUUM public.big")
            .build();
    Session checkpointer =
        Session.builder(4306)
            .backendStart(STARTED)
            .application("")
            .backendType("checkpointer")
            .query("")
            .build();
    List<Outcome> outcomes =
        List.of(
            Outcome.of(
                Target.of(4300),
                session(4300, "alice", "client backend", "select 1"),
                Action.TERMINATE,
                Result.WOULD_SIGNAL),
            Outcome.of(
                Target.of(4301),
                session(4301, "bob", "client backend", "select 1"),
                Action.TERMINATE,
                Result.WOULD_BE_REFUSED_PRIVILEGE),
            Outcome.of(
                Target.of(4302),
                session(4302, "postgres", "client backend", "select 1"),
                Action.TERMINATE,
                Result.WOULD_BE_REFUSED_SUPERUSER),
            Outcome.of(
                Target.of(4303),
                hidden(4303, null),
                Action.TERMINATE,
                Result.WOULD_BE_REFUSED_SUPERUSER),
            Outcome.of(
                Target.of(4304), launcher, Action.TERMINATE, Result.WOULD_BE_REFUSED_SUPERUSER),
            Outcome.of(
                Target.of(4305), worker, Action.TERMINATE, Result.WOULD_BE_REFUSED_AUTOVACUUM),
            Outcome.of(
                Target.of(4306), checkpointer, Action.TERMINATE, Result.WOULD_BE_REFUSED_AUXILIARY),
            Outcome.of(
                Target.of(4307), hidden(4307, null), Action.TERMINATE, Result.MAY_BE_REFUSED),
            Outcome.of(
                Target.of(4308), hidden(4308, "carol"), Action.TERMINATE, Result.HIDDEN_TYPE));
    StringWriter out = new StringWriter();
    new TextReport(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 0)
        .outcomes(new Asked(Action.TERMINATE, true, false), outcomes);
    String report = out.toString();

    assertThat(lineOf(report, 4300)).contains("would terminate (dry run)");
    assertThat(lineOf(report, 4301))
        .contains(
            "would be refused: pgkill's role has neither the privileges of role bob nor those of pg_signal_backend");
    assertThat(lineOf(report, 4302))
        .contains("would be refused: only a superuser may signal a superuser's session (postgres)");
    assertThat(lineOf(report, 4303))
        .contains(
            "would be refused: a process without a role counts as a superuser's, which only a superuser"
                + " may signal (or it is an auxiliary process, which the server never signals)");
    assertThat(lineOf(report, 4304))
        .contains(
            "would be refused: a process without a role counts as a superuser's, which only a superuser may signal ")
        .doesNotContain("auxiliary");
    assertThat(lineOf(report, 4305))
        .contains(
            "would be refused: only roles with the privileges of pg_signal_autovacuum_worker may signal autovacuum workers");
    assertThat(lineOf(report, 4306))
        .contains(
            "would be refused: the server never signals a checkpointer, an auxiliary process");
    assertThat(lineOf(report, 4307))
        .contains(
            "may be refused: whether the server signals a process without a role whose type is hidden"
                + " for pgkill's role cannot be told; it would try to terminate");
    assertThat(lineOf(report, 4308))
        .contains(
            "not signalled: its backend type is hidden from pgkill's role, so it may not be a client"
                + " backend (grant pg_read_all_stats or pg_monitor, or use --backend-type any)");
    assertThat(report).endsWith("dry run: would terminate 1 of 9 targets; nothing was signalled\n");
    assertThat(Summary.of(new Asked(Action.CANCEL, true, false), outcomes.subList(1, 2)))
        .isEqualTo("dry run: would cancel 0 of 1 target; nothing was signalled");
  }

  @Test
  void aParallelWorkerIsRefusedNamingItsLeader() {
    Session worker =
        Session.builder(4310)
            .backendStart(STARTED)
            .user("alice")
            .database("shop")
            .application("psql")
            .backendType("parallel worker")
            .state("active")
            .times(STARTED, STARTED, STARTED)
            .query("select count(*) from big")
            .leaderPid(4309)
            .build();
    Session olderServer =
        Session.builder(4311)
            .backendStart(STARTED)
            .user("alice")
            .database("shop")
            .application("psql")
            .backendType("parallel worker")
            .state("active")
            .times(STARTED, STARTED, STARTED)
            .query("select count(*) from big")
            .build();

    assertThat(ResultText.of(Outcome.of(Target.of(4310), worker, Action.CANCEL, Result.PROTECTED)))
        .isEqualTo(
            "not signalled: a parallel worker of leader PID 4309; signal the leader instead");
    assertThat(
            ResultText.of(
                Outcome.of(Target.of(4311), olderServer, Action.CANCEL, Result.PROTECTED)))
        .isEqualTo("not signalled: a parallel worker; signal the query's leader instead");
  }

  @Test
  void hintsGoToStandardErrorExceptWhenQuiet() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Report.of(
            new OutputOptions(OutputOptions.Format.JSON, false, 0, false, 0),
            new PrintWriter(out),
            new PrintWriter(err))
        .hint("there is no role \"nosuchrole\"");
    StringWriter quiet = new StringWriter();
    Report.of(
            new OutputOptions(OutputOptions.Format.TEXT, true, 0, false, 0),
            new PrintWriter(out),
            new PrintWriter(quiet))
        .hint("there is no role \"nosuchrole\"");

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo("pgkill: hint: there is no role \"nosuchrole\"\n");
    assertThat(quiet.toString()).isEmpty();
  }

  static String golden(String name) throws IOException {
    try (var in = TextReportTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
