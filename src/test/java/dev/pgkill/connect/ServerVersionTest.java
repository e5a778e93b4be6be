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
  void processesWithoutARoleCountAsASuperusersFromTheCve2023_5870Fix() {
    assertThat(new ServerVersion(100023).rolelessCountsAsSuperuser()).isFalse();
    assertThat(new ServerVersion(110021).rolelessCountsAsSuperuser()).isFalse();
    assertThat(new ServerVersion(110022).rolelessCountsAsSuperuser()).isTrue();
    assertThat(new ServerVersion(120016).rolelessCountsAsSuperuser()).isFalse();
    assertThat(new ServerVersion(120017).rolelessCountsAsSuperuser()).isTrue();
    assertThat(new ServerVersion(130013).rolelessCountsAsSuperuser()).isTrue();
    assertThat(new ServerVersion(140009).rolelessCountsAsSuperuser()).isFalse();
    assertThat(new ServerVersion(150005).rolelessCountsAsSuperuser()).isTrue();
    assertThat(new ServerVersion(160000).rolelessCountsAsSuperuser()).isFalse();
    assertThat(new ServerVersion(160001).rolelessCountsAsSuperuser()).isTrue();
    assertThat(new ServerVersion(170000).rolelessCountsAsSuperuser()).isTrue();
  }

  @Test
  void leaderPidFrom13AndTheAutovacuumSignallingRoleFrom18() {
    assertThat(new ServerVersion(120022).hasLeaderPid()).isFalse();
    assertThat(new ServerVersion(130000).hasLeaderPid()).isTrue();
    assertThat(new ServerVersion(170011).hasSignalAutovacuumWorker()).isFalse();
    assertThat(new ServerVersion(180000).hasSignalAutovacuumWorker()).isTrue();
  }

  @Test
  void namedAsADbaWouldName() {
    assertThat(new ServerVersion(180006)).hasToString("18.6");
    assertThat(new ServerVersion(120022)).hasToString("12.22");
  }
}
