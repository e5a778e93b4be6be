package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.select.Filters.Pick;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Victim;
import dev.pgkill.text.UsageError;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.helpers.NOPLogger;

/**
 * Every filter against real sessions that differ in one thing each: exactly the intended ones are
 * chosen. The sessions live for the whole class; each test asks only about the sessions of a role
 * made for this class, so other tests' sessions never count.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionFinderIT {
  private final PostgresServer server;
  private String alice;
  private String bob;
  private Victim aliceIdle;
  private Victim aliceInTransaction;
  private Victim aliceAborted;
  private Victim aliceActive;
  private Victim bobReport;
  private Victim bobShop;
  private final List<Victim> all = new ArrayList<>();

  SessionFinderIT(PostgresServer server) {
    this.server = server;
  }

  @BeforeAll
  void sessions() throws Exception {
    alice = server.createRole("alice", "");
    bob = server.createRole("bob", "");
    server.execute("create database shop_" + bob);
    aliceIdle = keep(Victim.connect(server, alice, "postgres", "psql"));
    aliceInTransaction =
        keep(Victim.connect(server, alice, "postgres", "app%_*x").run("begin").run("select 1"));
    aliceAborted =
        keep(
            Victim.connect(server, alice, "postgres", "app").run("begin").runFailing("select 1/0"));
    aliceActive = keep(Victim.connect(server, alice, "postgres", "app"));
    aliceActive.sleep();
    bobReport = keep(Victim.connect(server, bob, "postgres", "report-42"));
    bobShop =
        keep(Victim.connect(server, bob, "shop_" + bob, "report-43").run("begin").run("select 1"));
  }

  @AfterAll
  void close() throws Exception {
    for (Victim victim : all) {
      victim.close();
    }
  }

  private Victim keep(Victim victim) {
    all.add(victim);
    return victim;
  }

  /** The PIDs a filter chooses among this class's sessions. */
  private Set<Integer> chosen(UnaryOperator<Filters.Builder> filter) throws Exception {
    Filters filters = filter.apply(Filters.builder().users(List.of(alice, bob))).build();
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      Found found =
          new SessionFinder(connection, NOPLogger.NOP_LOGGER)
              .find(new Selection(List.of(), filters));
      return Set.copyOf(found.sessions().stream().map(Session::pid).toList());
    }
  }

  private static Set<Integer> pids(Victim... victims) {
    return Set.copyOf(java.util.Arrays.stream(victims).map(Victim::pid).toList());
  }

  @Test
  void userChoosesThatRolesSessions() throws Exception {
    assertThat(chosen(f -> f.users(List.of(bob)))).isEqualTo(pids(bobReport, bobShop));
  }

  @Test
  void repeatedOptionOrsItsValuesAndOptionsAnd() throws Exception {
    assertThat(chosen(f -> f.states(List.of(State.IDLE, State.ACTIVE))))
        .isEqualTo(pids(aliceIdle, aliceActive, bobReport));
    assertThat(chosen(f -> f.users(List.of(alice)).states(List.of(State.IDLE, State.ACTIVE))))
        .isEqualTo(pids(aliceIdle, aliceActive));
  }

  @Test
  void databaseChoosesSessionsConnectedToIt() throws Exception {
    assertThat(chosen(f -> f.databases(List.of("shop_" + bob)))).isEqualTo(pids(bobShop));
  }

  @Test
  void applicationGlobHasWildcardsAndMatchesEverythingElseLiterally() throws Exception {
    assertThat(chosen(f -> f.applications(List.of("report-*"))))
        .isEqualTo(pids(bobReport, bobShop));
    assertThat(chosen(f -> f.applications(List.of("report-4?"))))
        .isEqualTo(pids(bobReport, bobShop));
    assertThat(chosen(f -> f.applications(List.of("app"))))
        .isEqualTo(pids(aliceAborted, aliceActive));
    // % and _ are not wild in a glob: "app%_*x" matches only the session named exactly that.
    assertThat(chosen(f -> f.applications(List.of("app%_*")))).isEqualTo(pids(aliceInTransaction));
    assertThat(chosen(f -> f.applications(List.of("%")))).isEmpty();
    assertThat(chosen(f -> f.applications(List.of("x'; drop table t; --")))).isEmpty();
  }

  @Test
  void everyStateIsItsOwnFilter() throws Exception {
    assertThat(chosen(f -> f.states(List.of(State.IDLE_IN_TRANSACTION))))
        .isEqualTo(pids(aliceInTransaction, bobShop));
    assertThat(chosen(f -> f.states(List.of(State.IDLE_IN_TRANSACTION_ABORTED))))
        .isEqualTo(pids(aliceAborted));
    assertThat(chosen(f -> f.states(List.of(State.ACTIVE)))).isEqualTo(pids(aliceActive));
  }

  @Test
  void queryRegexUsesPostgresRegularExpressionsWithOptionalCase() throws Exception {
    assertThat(chosen(f -> f.query("^select pg_sleep", false))).isEqualTo(pids(aliceActive));
    assertThat(chosen(f -> f.query("^SELECT PG_SLEEP", false))).isEmpty();
    assertThat(chosen(f -> f.query("^SELECT PG_SLEEP", true))).isEqualTo(pids(aliceActive));
  }

  @Test
  void invalidRegexIsAUsageError() {
    assertThatThrownBy(() -> chosen(f -> f.query("(unclosed", false)))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid --query regular expression: invalid regular expression");
  }

  @Test
  void clientNetworkMatchesTcpClientsAndRejectsNonsense() throws Exception {
    assertThat(chosen(f -> f.clients(List.of("127.0.0.0/8"))))
        .isEqualTo(
            pids(aliceIdle, aliceInTransaction, aliceAborted, aliceActive, bobReport, bobShop));
    assertThat(chosen(f -> f.clients(List.of("10.0.0.0/8")))).isEmpty();
    assertThat(chosen(f -> f.clients(List.of("local")))).isEmpty();
    try (Victim overSocket = Victim.local(server, bob, "socket-client")) {
      assertThat(chosen(f -> f.clients(List.of("local")))).isEqualTo(pids(overSocket));
      assertThat(chosen(f -> f.clients(List.of("local", "127.0.0.1"))))
          .hasSize(7)
          .contains(overSocket.pid(), bobReport.pid());
      assertThat(chosen(f -> f.clients(List.of("127.0.0.1")))).doesNotContain(overSocket.pid());
    }
    assertThatThrownBy(() -> chosen(f -> f.clients(List.of("not-an-address"))))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("not-an-address");
  }

  @Test
  void agesCompareAgainstTheServersClock() throws Exception {
    String all =
        pids(aliceIdle, aliceInTransaction, aliceAborted, aliceActive, bobReport, bobShop).stream()
            .map(String::valueOf)
            .collect(java.util.stream.Collectors.joining(","));
    PostgresServer.await(
        "every session's last change to be 300 ms old on the server's clock",
        Duration.ofSeconds(10),
        () -> {
          try {
            return "t"
                .equals(
                    server.queryString(
                        PostgresServer.SUPERUSER,
                        "select bool_and(clock_timestamp() - greatest(backend_start, xact_start, query_start,"
                            + " state_change) > interval '300 ms') from pg_stat_activity where pid in ("
                            + all
                            + ")"));
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(chosen(f -> f.runningLongerThan(Duration.ofMillis(200))))
        .isEqualTo(pids(aliceActive));
    assertThat(chosen(f -> f.runningLongerThan(Duration.ofHours(1)))).isEmpty();
    assertThat(chosen(f -> f.idleLongerThan(Duration.ofMillis(200))))
        .isEqualTo(pids(aliceIdle, aliceInTransaction, aliceAborted, bobReport, bobShop));
    // The server clears xact_start when a transaction aborts, though the session stays in it:
    // --idle-longer-than is what finds an aborted transaction.
    assertThat(chosen(f -> f.xactLongerThan(Duration.ofMillis(200))))
        .isEqualTo(pids(aliceInTransaction, aliceActive, bobShop));
    assertThat(chosen(f -> f.connectedLongerThan(Duration.ofMillis(200)))).hasSize(6);
    assertThat(chosen(f -> f.connectedLongerThan(Duration.ofDays(1)))).isEmpty();
  }

  @Test
  void excludesLeaveSessionsAlone() throws Exception {
    assertThat(chosen(f -> f.excludeUsers(List.of(alice)))).isEqualTo(pids(bobReport, bobShop));
    assertThat(chosen(f -> f.excludeDatabases(List.of("postgres")))).isEqualTo(pids(bobShop));
    assertThat(chosen(f -> f.excludeApplications(List.of("report-*", "app*"))))
        .isEqualTo(pids(aliceIdle));
  }

  @Test
  void newestAndOldestKeepOneSessionByBackendStart() throws Exception {
    assertThat(chosen(f -> f.pick(Pick.NEWEST))).isEqualTo(pids(bobShop));
    assertThat(chosen(f -> f.pick(Pick.OLDEST))).isEqualTo(pids(aliceIdle));
  }

  @Test
  void otherBackendTypesOnlyWhenAskedFor() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      SessionFinder finder = new SessionFinder(connection, NOPLogger.NOP_LOGGER);
      Filters everyone = Filters.builder().connectedLongerThan(Duration.ZERO).build();
      Filters checkpointer =
          Filters.builder()
              .connectedLongerThan(Duration.ZERO)
              .backendTypes(List.of("checkpointer"))
              .build();
      Filters any =
          Filters.builder().connectedLongerThan(Duration.ZERO).backendTypes(List.of("any")).build();

      assertThat(finder.find(new Selection(List.of(), everyone)).sessions())
          .extracting(Session::backendType)
          .containsOnly("client backend");
      assertThat(finder.find(new Selection(List.of(), checkpointer)).sessions())
          .extracting(Session::backendType)
          .containsExactly("checkpointer");
      assertThat(finder.find(new Selection(List.of(), any)).sessions())
          .extracting(Session::backendType)
          .contains("client backend", "checkpointer");
    }
  }

  @Test
  void namedPidsComeBackFlaggedWhenTheyFailTheFilters() throws Exception {
    try (Connection connection = server.connect(PostgresServer.SUPERUSER)) {
      Filters active = Filters.builder().states(List.of(State.ACTIVE)).build();
      Found found =
          new SessionFinder(connection, NOPLogger.NOP_LOGGER)
              .find(
                  new Selection(
                      List.of(Target.of(aliceActive.pid()), Target.of(aliceIdle.pid())), active));

      assertThat(found.sessions()).extracting(Session::pid).containsExactly(aliceActive.pid());
      assertThat(found.unmatched()).containsExactly(aliceIdle.pid());
      Found.Mismatch mismatch = found.mismatches().get(aliceIdle.pid());
      assertThat(mismatch.why()).isEqualTo("does not match --state active");
      assertThat(mismatch.session().user()).isEqualTo(alice);
      assertThat(mismatch.session().state()).isEqualTo("idle");
    }
  }
}
