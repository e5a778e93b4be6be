package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

  @Test
  void terminateWaitsAndLocksKnowTheirWaitStartFrom14() {
    assertThat(new ServerVersion(139999).terminateCanWait()).isFalse();
    assertThat(new ServerVersion(140000).terminateCanWait()).isTrue();
    assertThat(new ServerVersion(130023).hasLockWaitStart()).isFalse();
    assertThat(new ServerVersion(180006).hasLockWaitStart()).isTrue();
  }

  @Test
  void namedAsADbaWouldName() {
    assertThat(new ServerVersion(180006)).hasToString("18.6");
    assertThat(new ServerVersion(120022)).hasToString("12.22");
  }
}
