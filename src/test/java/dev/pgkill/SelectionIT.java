package dev.pgkill;

import static dev.pgkill.testing.Fixtures.unique;
import static dev.pgkill.testing.Victim.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Choosing sessions by filters: what --list shows, what a dry run would do, and what is a usage
 * error.
 */
@ExtendWith(PostgresExtension.class)
class SelectionIT {
  private final PostgresServer server;

  SelectionIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void usageErrorSignalsNothingEvenWithAValidPid() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      for (String bad : List.of("12x", "-5", "0", "2147483648")) {
        Run run = Run.of(server.args("--terminate", Integer.toString(victim.pid()), bad));

        assertThat(run.status()).as(bad).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).hasSize(1).first().asString().contains("\"" + bad + "\"");
      }
      Run badStdin = Run.withStdin(victim.pid() + "\nbogus\n", server.args("--terminate", "-"));
      assertThat(badStdin.status()).isEqualTo(2);
      assertThat(badStdin.err()).contains("\"bogus\"", "standard input line 2");
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void listShowsTheMatchingSessionsAndSignalsNothing() throws Exception {
    String app = unique("list");
    List<Victim> victims = sleepers(app, 2);
    try {
      Run run = Run.of(server.args("--list", "-a", app));

      assertThat(run.status()).as(run.err()).isZero();
      for (Victim victim : victims) {
        assertThat(run.lineOf(victim.pid())).contains(app, "active", "select pg_sleep(60)");
        assertThat(victim.stillSleeping()).isTrue();
      }
      assertThat(run.out()).endsWith("2 sessions\n");
      assertThat(Run.of(server.args("--list", "-a", app + "-nobody")).status()).isEqualTo(1);
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void dryRunShowsWhatWouldBeSignalledAndSignalsNothing() throws Exception {
    String app = unique("dry");
    List<Victim> victims = sleepers(app, 2);
    try {
      Run run = Run.of(server.args("--terminate", "--dry-run", "-a", app));

      assertThat(run.status()).isZero();
      assertThat(run.lineOf(victims.get(0).pid())).contains("would terminate (dry run)");
      assertThat(run.out())
          .endsWith("dry run: would terminate 2 of 2 targets; nothing was signalled\n");
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void namedPidThatFailsTheFiltersIsLeftAloneShowingItsRowAndTheFilterItFails() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("-t", Integer.toString(victim.pid()), "--state", "idle"));

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.lineOf(victim.pid()))
          .contains("postgres", "pgkill-test", "active", "select pg_sleep(60)")
          .contains("not signalled: does not match --state idle");
      assertThat(victim.stillSleeping()).isTrue();

      // The first filter it fails is named, the user's values as typed.
      Run byUser =
          Run.of(
              server.args(
                  "-t",
                  Integer.toString(victim.pid()),
                  "-u",
                  "app",
                  "-u",
                  "ops",
                  "--state",
                  "idle",
                  "--running-longer-than",
                  "1h30m"));
      assertThat(byUser.lineOf(victim.pid()))
          .contains("not signalled: does not match --user app or --user ops");
      Run byAge =
          Run.of(
              server.args(
                  "-t",
                  Integer.toString(victim.pid()),
                  "-u",
                  "postgres",
                  "--running-longer-than",
                  "1h30m"));
      assertThat(byAge.lineOf(victim.pid()))
          .contains("not signalled: does not match --running-longer-than 1h30m");
      Run excluded =
          Run.of(
              server.args(
                  "-t",
                  Integer.toString(victim.pid()),
                  "--exclude-user",
                  "postgres",
                  "-o",
                  "json"));
      assertThat(excluded.out().lines().findFirst().orElseThrow())
          .contains(
              "\"outcome\":\"not_matched\"",
              "\"user\":\"postgres\"",
              "\"result_text\":\"not signalled: excluded by --exclude-user postgres\"");
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void badRegexOrAddressIsAUsageErrorEvenWhenNoSessionWouldReachIt() throws Exception {
    String unused = Integer.toString(server.unusedPid());

    Run regex = Run.of(server.args("--cancel", "--query", "(unclosed", unused));
    Run address = Run.of(server.args("--cancel", "--client", "10.0.0.300/8", unused));
    // Not refused before connecting (only the server knows its character ranges): the server's
    // invalid_regular_expression is a usage error too.
    Run judgedByTheServer = Run.of(server.args("--cancel", "--query", "[z-a]", unused));

    assertThat(regex.status()).isEqualTo(2);
    assertThat(regex.err()).startsWith("pgkill: error: invalid --query regular expression");
    assertThat(address.status()).isEqualTo(2);
    assertThat(address.err()).contains("invalid --client \"10.0.0.300/8\"");
    assertThat(judgedByTheServer.status()).isEqualTo(2);
    assertThat(judgedByTheServer.err())
        .isEqualTo(
            "pgkill: error: invalid --query regular expression: invalid regular expression:"
                + " invalid character range (see pgkill --help)\n");
  }

  @Test
  void filterNeverMeansEverySession() {
    Run run = Run.of(server.args("--terminate"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("pgkill never means every session");
  }

  @Test
  void aListingWithoutASelectionShowsEveryClientBackendOrTheTypeAskedFor() throws Exception {
    String plain = server.createRole("plain", "");
    try (Victim mine = Victim.sleeping(server, plain);
        Victim superusers = Victim.connect(server, PostgresServer.SUPERUSER)) {
      Run all = Run.of(server.args("--list", "-o", "pid"));
      Run launcher = Run.of(server.args("--list", "--backend-type", "autovacuum launcher"));
      Run signal = Run.of(server.args("--terminate", "--exclude-user", "nobody", "-y"));

      assertThat(all.status()).as(all.err()).isZero();
      assertThat(all.out().lines())
          .contains(Integer.toString(mine.pid()), Integer.toString(superusers.pid()))
          .doesNotContain(Integer.toString(server.pidOf("checkpointer")));
      assertThat(launcher.status()).as(launcher.err()).isZero();
      assertThat(launcher.lineOf(server.pidOf("autovacuum launcher")))
          .contains("autovacuum launcher");
      assertThat(launcher.out()).endsWith("1 session\n");
      assertThat(signal.status()).isEqualTo(2);
      assertThat(signal.err()).contains("pgkill never means every session");
      assertThat(mine.stillSleeping()).isTrue();
      assertThat(superusers.usable()).isTrue();
    }
  }

  private List<Victim> sleepers(String application, int count) throws Exception {
    return Victim.sleepers(server, application, count);
  }
}
