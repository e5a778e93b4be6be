package dev.pgkill.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Outcome.Result;
import dev.pgkill.signal.Safety.Screened;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafetyTest {
  private static final OffsetDateTime STARTED = OffsetDateTime.parse("2026-11-25T20:00:00.123456Z");

  private static Session session(int pid, OffsetDateTime start, String type, boolean own) {
    return new Session(
        pid, start, "alice", "shop", "psql", "local", type, "active", null, null, null, "select 1", own);
  }

  private static Result verdict(Target target, Session session) {
    Screened screened =
        Safety.screen(List.of(target), session == null ? List.of() : List.of(session), Action.TERMINATE)
            .targets()
            .get(0);
    return screened.cleared() ? Result.SIGNALLED : screened.refused().result();
  }

  @Test
  void clientBackendWithVisibleIdentityIsCleared() {
    assertThat(verdict(Target.of(10), session(10, STARTED, "client backend", false)))
        .isEqualTo(Result.SIGNALLED);
  }

  @Test
  void pidNotInPgStatActivityIsNotFound() {
    assertThat(verdict(Target.of(10), null)).isEqualTo(Result.NOT_FOUND);
  }

  @Test
  void ownSessionIsRefused() {
    assertThat(verdict(Target.of(10), session(10, STARTED, "client backend", true)))
        .isEqualTo(Result.OWN_SESSION);
  }

  @Test
  void otherBackendTypesAreProtected() {
    assertThat(verdict(Target.of(10), session(10, STARTED, "autovacuum worker", false)))
        .isEqualTo(Result.PROTECTED);
  }

  @Test
  void hiddenBackendStartCannotBeVerified() {
    assertThat(verdict(Target.of(10), session(10, null, null, false)))
        .isEqualTo(Result.UNVERIFIABLE);
  }

  @Test
  void namedBackendStartMustMatch() {
    Session now = session(10, STARTED, "client backend", false);

    assertThat(verdict(new Target(10, java.util.Optional.of(STARTED.minusNanos(1000))), now))
        .isEqualTo(Result.REPLACED);
    assertThat(verdict(new Target(10, java.util.Optional.of(STARTED.withOffsetSameInstant(java.time.ZoneOffset.ofHours(5)))), now))
        .isEqualTo(Result.SIGNALLED);
  }

  @Test
  void screeningKeepsTheUsersOrder() {
    List<Screened> screened =
        Safety.screen(
                List.of(Target.of(30), Target.of(10), Target.of(20)),
                List.of(session(10, STARTED, "client backend", false), session(20, STARTED, "client backend", false)),
                Action.CANCEL)
            .targets();

    assertThat(screened).extracting(s -> s.target().pid()).containsExactly(30, 10, 20);
    assertThat(screened).extracting(Screened::cleared).containsExactly(false, true, true);
  }
}
