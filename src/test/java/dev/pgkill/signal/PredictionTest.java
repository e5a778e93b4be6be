package dev.pgkill.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.signal.Outcome.Result;
import dev.pgkill.signal.Prediction.Caller;
import dev.pgkill.signal.Prediction.Owner;
import org.junit.jupiter.api.Test;

/**
 * The server's rules for pg_signal_backend(), version by version, as the dry run predicts them.
 * PrivilegesIT and BackgroundProcessesIT check, on real servers, that the prediction agrees with
 * what the server then does.
 */
class PredictionTest {
  private static final ServerVersion V10 = new ServerVersion(100023);
  private static final ServerVersion V12_OLD = new ServerVersion(120016);
  private static final ServerVersion V12 = new ServerVersion(120022);
  private static final ServerVersion V17 = new ServerVersion(170011);
  private static final ServerVersion V18 = new ServerVersion(180006);

  private static final Caller SUPERUSER = new Caller(true, true, true);
  private static final Caller PLAIN = new Caller(false, false, false);
  private static final Caller SIGNALLER = new Caller(false, true, false);
  private static final Caller VACUUM_KILLER = new Caller(false, false, true);

  private static final Owner ITS_OWN = new Owner(false, false, true);
  private static final Owner OTHER = new Owner(false, false, false);
  private static final Owner A_SUPERUSERS = new Owner(false, true, false);
  private static final Owner NO_ROLE = new Owner(true, false, false);

  private static Result predict(ServerVersion version, Caller caller, Owner owner, String type) {
    return Prediction.verdict(version, caller, owner, type);
  }

  @Test
  void clientBackendsByWhoseTheyAre() {
    for (ServerVersion v : new ServerVersion[] {V10, V12, V17, V18}) {
      assertThat(predict(v, PLAIN, ITS_OWN, "client backend")).isEqualTo(Result.WOULD_SIGNAL);
      assertThat(predict(v, PLAIN, OTHER, "client backend"))
          .isEqualTo(Result.WOULD_BE_REFUSED_PRIVILEGE);
      assertThat(predict(v, PLAIN, OTHER, null))
          .as("type hidden")
          .isEqualTo(Result.WOULD_BE_REFUSED_PRIVILEGE);
      assertThat(predict(v, SIGNALLER, OTHER, null)).isEqualTo(Result.WOULD_SIGNAL);
      assertThat(predict(v, SIGNALLER, A_SUPERUSERS, "client backend"))
          .isEqualTo(Result.WOULD_BE_REFUSED_SUPERUSER);
      assertThat(predict(v, SUPERUSER, A_SUPERUSERS, "client backend"))
          .isEqualTo(Result.WOULD_SIGNAL);
      assertThat(predict(v, SUPERUSER, OTHER, "walsender")).isEqualTo(Result.WOULD_SIGNAL);
    }
  }

  @Test
  void auxiliaryProcessesNeverEvenForASuperuser() {
    for (String type :
        new String[] {
          "checkpointer",
          "background writer",
          "walwriter",
          "startup",
          "walreceiver",
          "archiver",
          "wal summarizer",
          "io worker"
        }) {
      assertThat(predict(V18, SUPERUSER, NO_ROLE, type))
          .as(type)
          .isEqualTo(Result.WOULD_BE_REFUSED_AUXILIARY);
      assertThat(predict(V10, SIGNALLER, NO_ROLE, type))
          .as(type)
          .isEqualTo(Result.WOULD_BE_REFUSED_AUXILIARY);
    }
  }

  @Test
  void processesWithoutARoleCountAsASuperusersSinceTheFixButNotOn10() {
    for (ServerVersion fixed : new ServerVersion[] {V12, V17, V18}) {
      assertThat(predict(fixed, SIGNALLER, NO_ROLE, "autovacuum launcher"))
          .isEqualTo(Result.WOULD_BE_REFUSED_SUPERUSER);
      assertThat(predict(fixed, SUPERUSER, NO_ROLE, "autovacuum launcher"))
          .isEqualTo(Result.WOULD_SIGNAL);
      assertThat(predict(fixed, SIGNALLER, NO_ROLE, null))
          .as("hidden: superuser-owned or auxiliary, refused either way")
          .isEqualTo(Result.WOULD_BE_REFUSED_SUPERUSER);
    }
    for (ServerVersion unfixed : new ServerVersion[] {V10, V12_OLD}) {
      assertThat(predict(unfixed, SIGNALLER, NO_ROLE, "autovacuum launcher"))
          .isEqualTo(Result.WOULD_SIGNAL);
      assertThat(predict(unfixed, SIGNALLER, NO_ROLE, "logical replication launcher"))
          .isEqualTo(Result.WOULD_SIGNAL);
      assertThat(predict(unfixed, PLAIN, NO_ROLE, "autovacuum worker"))
          .isEqualTo(Result.WOULD_BE_REFUSED_PRIVILEGE);
      assertThat(predict(unfixed, SIGNALLER, NO_ROLE, null))
          .as("hidden: a launcher, or an auxiliary process")
          .isEqualTo(Result.MAY_BE_REFUSED);
    }
  }

  @Test
  void autovacuumWorkersHaveTheirOwnRoleFrom18() {
    assertThat(predict(V18, SIGNALLER, NO_ROLE, "autovacuum worker"))
        .isEqualTo(Result.WOULD_BE_REFUSED_AUTOVACUUM);
    assertThat(predict(V18, VACUUM_KILLER, NO_ROLE, "autovacuum worker"))
        .isEqualTo(Result.WOULD_SIGNAL);
    assertThat(predict(V18, SUPERUSER, NO_ROLE, "autovacuum worker"))
        .isEqualTo(Result.WOULD_SIGNAL);
    assertThat(predict(V18, VACUUM_KILLER, NO_ROLE, "autovacuum launcher"))
        .isEqualTo(Result.WOULD_BE_REFUSED_SUPERUSER);
    assertThat(predict(V18, VACUUM_KILLER, NO_ROLE, null))
        .as("hidden: it may be an autovacuum worker")
        .isEqualTo(Result.MAY_BE_REFUSED);
    assertThat(predict(V17, VACUUM_KILLER, NO_ROLE, "autovacuum worker"))
        .isEqualTo(Result.WOULD_BE_REFUSED_SUPERUSER);
  }

  @Test
  void anUnknownTypeWithoutARoleIsNeverPromised() {
    assertThat(predict(V18, SUPERUSER, NO_ROLE, "my extension's scheduler"))
        .isEqualTo(Result.MAY_BE_REFUSED);
    assertThat(predict(V18, SUPERUSER, OTHER, "my extension's worker"))
        .isEqualTo(Result.WOULD_SIGNAL);
  }
}
