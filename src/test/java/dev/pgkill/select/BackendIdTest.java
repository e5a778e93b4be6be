package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class BackendIdTest {
  private static final OffsetDateTime START = OffsetDateTime.parse("2026-11-25T21:30:54.1+01:00");

  @Test
  void theSameInstantInAnotherOffsetIsTheSameBackend() {
    BackendId named = new BackendId(4242, START);
    BackendId seen = new BackendId(4242, OffsetDateTime.parse("2026-11-25T20:30:54.100000Z"));

    assertThat(named).isEqualTo(seen).hasSameHashCodeAs(seen);
  }

  @Test
  void aReusedPidIsAnotherBackend() {
    BackendId named = new BackendId(4242, START);

    assertThat(named).isNotEqualTo(new BackendId(4242, START.plusNanos(1000)));
    assertThat(named).isNotEqualTo(new BackendId(4243, START));
    assertThat(named).isNotEqualTo(new BackendId(4242, null));
  }

  @Test
  void aHiddenBackendStartCannotBeVerified() {
    assertThat(new BackendId(4242, null).verifiable()).isFalse();
    assertThat(new BackendId(4242, START).verifiable()).isTrue();
  }

  @Test
  void tokenIsWhatTargetParsesBack() {
    BackendId id = new BackendId(4242, START);

    assertThat(id.token()).isEqualTo("4242@2026-11-25T20:30:54.100000Z");
    assertThat(Target.parse(id.token()).backendId()).contains(id);
    assertThat(Target.parse("4242").backendId()).isEmpty();
  }

  @Test
  void aSessionIsItsRowsBackend() {
    Session session =
        Session.builder(4242)
            .backendStart(START)
            .user("alice")
            .database("shop")
            .backendType(Session.CLIENT_BACKEND)
            .state("active")
            .query("select 1")
            .build();

    assertThat(session.id()).isEqualTo(new BackendId(4242, START));
  }
}
