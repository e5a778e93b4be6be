package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Fixtures;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import dev.pgkill.text.Timestamps;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What pgkill prints: --quiet, JSON lines, dry-run summaries and hints for a silent nothing. */
@ExtendWith(PostgresExtension.class)
class OutputIT {
  private final PostgresServer server;

  OutputIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void quietPrintsNothingButStillSignals() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("-q", "--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).isZero();
      assertThat(run.out()).isEmpty();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
    }
  }

  @Test
  void jsonIsOneParsableObjectPerTargetAndASummary() throws Exception {
    int unused = server.unusedPid();
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run =
          Run.of(
              server.args(
                  "-c", "-o", "json", Integer.toString(victim.pid()), Integer.toString(unused)));

      assertThat(run.status()).isEqualTo(4);
      List<java.util.Map<String, Object>> lines = run.out().lines().map(Fixtures::json).toList();
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0))
          .containsEntry("type", "target")
          .containsEntry("pid", victim.pid())
          .containsEntry("backend_start", Timestamps.utc(victim.backendStart()))
          .containsEntry("user", "postgres")
          .containsEntry("state", "active")
          .containsEntry("action", "cancel")
          .containsEntry("signalled", true)
          .containsEntry("outcome", "signalled")
          .containsKeys(
              "database",
              "application",
              "client",
              "backend_type",
              "query_start",
              "xact_start",
              "state_change",
              "query",
              "sqlstate",
              "message",
              "detail");
      assertThat(lines.get(1))
          .containsEntry("pid", unused)
          .containsEntry("outcome", "not_found")
          .containsEntry("signalled", false)
          .containsEntry("user", null);
      assertThat(lines.get(2))
          .containsEntry("type", "summary")
          .containsEntry("targets", 2)
          .containsEntry("signalled", 1)
          .containsEntry("not_signalled", 1);
    }
  }

  @Test
  void dryRunThatWouldSignalNothingStillSaysItIsADryRun() throws Exception {
    int unused = server.unusedPid();
    Run text = Run.of(server.args("--cancel", "--dry-run", Integer.toString(unused)));
    Run json = Run.of(server.args("--cancel", "--dry-run", "-o", "json", Integer.toString(unused)));

    assertThat(text.status()).isEqualTo(1);
    assertThat(text.out()).endsWith("dry run: would cancel 0 of 1 target; nothing was signalled\n");
    assertThat(json.out().lines().reduce((a, b) -> b).orElseThrow())
        .contains("\"dry_run\":true", "\"would_signal\":0", "\"not_signalled\":1");
  }

  @Test
  void aSilentNothingGetsAHint() throws Exception {
    String app = server.createRole("app", "");
    Run noSuchRole = Run.of(server.args("--list", "-u", "nosuchrole"));
    Run commas = Run.of(server.args("--list", "-u", app + ",postgres"));
    Run noSuchType = Run.of(server.args("--list", "--backend-type", "autovacuum"));
    Run both = Run.of(server.args("--list", "-u", app, "-u", "postgres"));

    assertThat(noSuchRole.status()).isEqualTo(1);
    assertThat(noSuchRole.err()).isEqualTo("pgkill: hint: there is no role \"nosuchrole\"\n");
    assertThat(commas.status()).isEqualTo(1);
    assertThat(commas.err())
        .isEqualTo(
            "pgkill: hint: there is no role \""
                + app
                + ",postgres\": to"
                + " choose several roles, give -u once for each (-u "
                + app
                + " -u postgres)\n");
    assertThat(noSuchType.status()).isEqualTo(1);
    assertThat(noSuchType.err())
        .startsWith(
            "pgkill: hint: no backend of type \"autovacuum\" is running;"
                + " the types running now are ")
        .contains("autovacuum launcher", "client backend", "checkpointer");
    assertThat(both.err()).isEmpty();
  }

  @Test
  void aHiddenQueryIsNullInJsonLikeEveryOtherHiddenField() throws Exception {
    String plain = server.createRole("plain", "");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      Run json =
          Run.of(
              server.argsAs(plain, "--list", "-o", "json", "-u", other, "--backend-type", "any"));
      java.util.Map<String, Object> session = json(json.out().lines().findFirst().orElseThrow());
      assertThat(session)
          .containsEntry("pid", victim.pid())
          .containsEntry("user", other)
          .containsEntry("backend_start", null)
          .containsEntry("state", null)
          .containsEntry("query", null);
      assertThat(json.out()).endsWith("{\"type\":\"summary\",\"version\":2,\"sessions\":1}\n");
      assertThat(json.err()).isEmpty();
    }
  }
}
