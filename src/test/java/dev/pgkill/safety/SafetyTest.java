package dev.pgkill.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.Filters;
import dev.pgkill.select.Found;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafetyTest {
  private static final OffsetDateTime STARTED = OffsetDateTime.parse("2026-11-25T20:00:00.123456Z");

  private static Session session(int pid, OffsetDateTime start, String type, boolean own) {
    return Session.builder(pid)
        .backendStart(start)
        .user("alice")
        .database("shop")
        .application("psql")
        .client("local")
        .backendType(type)
        .state("active")
        .query("select 1")
        .own(own)
        .build();
  }

  private static Refusal verdict(Target target, Session session) {
    Screened screened =
        Safety.screen(
                Selection.of(List.of(target)),
                new Found(session == null ? List.of() : List.of(session), Set.of()))
            .targets()
            .get(0);
    return screened instanceof Refused refused ? refused.refusal() : null;
  }

  @Test
  void clientBackendWithVisibleIdentityIsCleared() {
    assertThat(verdict(Target.of(10), session(10, STARTED, "client backend", false))).isNull();
  }

  @Test
  void pidNotInPgStatActivityIsNotFound() {
    assertThat(verdict(Target.of(10), null)).isEqualTo(Refusal.NOT_FOUND);
  }

  @Test
  void ownSessionIsRefused() {
    assertThat(verdict(Target.of(10), session(10, STARTED, "client backend", true)))
        .isEqualTo(Refusal.OWN_SESSION);
  }

  @Test
  void otherBackendTypesAreProtected() {
    assertThat(verdict(Target.of(10), session(10, STARTED, "autovacuum worker", false)))
        .isEqualTo(Refusal.PROTECTED);
  }

  @Test
  void hiddenBackendStartCannotBeVerified() {
    assertThat(verdict(Target.of(10), session(10, null, null, false)))
        .isEqualTo(Refusal.UNVERIFIABLE);
  }

  private static Filters backendTypes(String... types) {
    return Filters.builder().backendTypes(List.of(types)).build();
  }

  private static Refusal verdict(Session session, Filters filters, boolean unverified) {
    Screened screened =
        Safety.screen(
                new Selection(List.of(Target.of(session.pid())), filters),
                new Found(List.of(session), Set.of()),
                unverified)
            .targets()
            .get(0);
    return screened instanceof Refused refused ? refused.refusal() : null;
  }

  @Test
  void hiddenBackendTypeIsNoClientBackendEvenUnverifiedUnlessAnyTypeIsAsked() {
    // What a role without pg_read_all_stats sees of another role's session, parallel worker or not.
    Session hidden = session(10, null, null, false);

    assertThat(verdict(hidden, Filters.none(), false)).isEqualTo(Refusal.UNVERIFIABLE);
    assertThat(verdict(hidden, Filters.none(), true)).isEqualTo(Refusal.HIDDEN_TYPE);
    assertThat(verdict(hidden, backendTypes("client backend"), true))
        .isEqualTo(Refusal.HIDDEN_TYPE);
    assertThat(verdict(hidden, backendTypes("any"), false)).isEqualTo(Refusal.UNVERIFIABLE);
    assertThat(verdict(hidden, backendTypes("any"), true)).isNull();
    assertThat(verdict(session(10, STARTED, null, false), Filters.none(), false))
        .as("identifiable, yet of unknown type")
        .isEqualTo(Refusal.HIDDEN_TYPE);
  }

  @Test
  void namedBackendStartMustMatch() {
    Session now = session(10, STARTED, "client backend", false);

    assertThat(verdict(new Target(10, java.util.Optional.of(STARTED.minusNanos(1000))), now))
        .isEqualTo(Refusal.REPLACED);
    assertThat(
            verdict(
                new Target(
                    10,
                    java.util.Optional.of(
                        STARTED.withOffsetSameInstant(java.time.ZoneOffset.ofHours(5)))),
                now))
        .isNull();
  }

  @Test
  void namedPidThatFailsTheFiltersIsNotMatched() {
    Session session = session(10, STARTED, "client backend", false);
    Screened screened =
        Safety.screen(Selection.of(List.of(Target.of(10))), new Found(List.of(), Set.of(10)))
            .targets()
            .get(0);

    assertThat(screened).isInstanceOf(Refused.class);
    assertThat(((Refused) screened).refusal()).isEqualTo(Refusal.NOT_MATCHED);
    assertThat(session.pid()).isEqualTo(10);
  }

  @Test
  void askedForBackendTypeIsAllowedAndAnyStillExcludesParallelWorkers() {
    Filters autovacuum = backendTypes("autovacuum worker");
    assertThat(autovacuum.allowsBackendType("autovacuum worker")).isTrue();
    assertThat(autovacuum.allowsBackendType("client backend")).isFalse();
    assertThat(Filters.none().allowsBackendType("client backend")).isTrue();
    assertThat(Filters.none().allowsBackendType("walsender")).isFalse();
    Filters parallel = backendTypes("parallel worker", "any");
    assertThat(parallel.allowsBackendType("parallel worker")).as("signal the leader").isFalse();
  }

  @Test
  void screeningKeepsTheUsersOrder() {
    List<Screened> screened =
        Safety.screen(
                Selection.of(List.of(Target.of(30), Target.of(10), Target.of(20))),
                new Found(
                    List.of(
                        session(10, STARTED, "client backend", false),
                        session(20, STARTED, "client backend", false)),
                    Set.of()))
            .targets();

    assertThat(screened).extracting(s -> s.target().pid()).containsExactly(30, 10, 20);
    assertThat(screened).extracting(Cleared.class::isInstance).containsExactly(false, true, true);
  }
}
