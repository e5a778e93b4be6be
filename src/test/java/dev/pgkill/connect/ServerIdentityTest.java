package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerIdentityTest {

  @Test
  void namesTheAddressTheReleaseAndWhetherPrimaryOrStandby() {
    assertThat(new ServerIdentity("10.0.0.5:5432", new ServerVersion(170004), true))
        .hasToString("10.0.0.5:5432 (PostgreSQL 17.4, standby)");
    assertThat(
            new ServerIdentity(
                "/var/run/postgresql/.s.PGSQL.5432", new ServerVersion(180001), false))
        .hasToString("/var/run/postgresql/.s.PGSQL.5432 (PostgreSQL 18.1, primary)");
  }
}
