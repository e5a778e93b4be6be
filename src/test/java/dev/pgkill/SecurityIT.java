package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What hostile values, role settings and lookalike functions cannot make pgkill do. */
@ExtendWith(PostgresExtension.class)
class SecurityIT {
  private final PostgresServer server;

  SecurityIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void plainRoleCancellingSuperusersQueryIsDeniedWithTheServersWords() throws Exception {
    // pg_read_all_stats lets the role see, and so identify, the superuser's session; it does not
    // let it signal it.
    String watcher = server.createRole("watcher", "in role pg_read_all_stats");
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.argsAs(watcher, "--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(1);
      assertThat(victim.stillSleeping()).isTrue();
      String expected =
          server.major() >= 16
              ? "not signalled: ERROR 42501: permission denied to cancel query DETAIL: Only roles"
                  + " with the SUPERUSER attribute may cancel queries of roles with the SUPERUSER"
                  + " attribute."
              : "not signalled: ERROR 42501: must be a superuser to cancel superuser query";
      assertThat(run.lineOf(victim.pid())).contains(expected);
    }
  }

  @Test
  void filtersOnHiddenColumnsNeverMatchAnotherRolesSession() throws Exception {
    String plain = server.createRole("plain", "in role pg_signal_backend");
    String other = server.createRole("other", "");
    try (Victim victim = Victim.sleeping(server, other)) {
      Run byState = Run.of(server.argsAs(plain, "--list", "-u", other, "--state", "active"));
      Run byQuery = Run.of(server.argsAs(plain, "--list", "-u", other, "--query", "privilege"));
      Run byUser = Run.of(server.argsAs(plain, "--terminate", "-u", other, "-y"));
      Run anyType =
          Run.of(server.argsAs(plain, "--terminate", "-u", other, "--backend-type", "any", "-y"));

      assertThat(byState.status()).isEqualTo(1);
      assertThat(byQuery.status()).isEqualTo(1);
      assertThat(byUser.status()).isEqualTo(1);
      assertThat(byUser.out()).doesNotContain(Integer.toString(victim.pid()));
      assertThat(byUser.err())
          .isEqualTo(
              "pgkill: hint: 1 session of another role was left out: role "
                  + plain
                  + " cannot see its backend type; grant pg_read_all_stats (or pg_monitor) to "
                  + plain
                  + " to see it, or give --backend-type any\n");
      assertThat(anyType.status()).isEqualTo(1);
      assertThat(anyType.lineOf(victim.pid())).contains("cannot be identified safely");
      assertThat(anyType.err()).isEmpty();
      assertThat(victim.stillSleeping()).isTrue();
    }
  }

  @Test
  void roleSettingsCannotSilenceTheServersWarnings() throws Exception {
    // A role that hides WARNINGs from its sessions; pgkill's own session must still get them.
    String quiet = server.createRole("quiet", "superuser");
    server.execute("alter role " + quiet + " set client_min_messages = error");
    server.execute("alter role " + quiet + " set statement_timeout = 1");
    int checkpointer = server.pidOf("checkpointer");

    Run run =
        Run.of(
            server.argsAs(
                quiet,
                "--terminate",
                "--backend-type",
                "checkpointer",
                Integer.toString(checkpointer)));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.lineOf(checkpointer))
        .contains(
            "pg_terminate_backend returned false, WARNING 01000: PID "
                + checkpointer
                + " is not a PostgreSQL "
                + (server.major() >= 15 ? "backend" : "server")
                + " process");
  }

  @Test
  void hostileFilterValuesMatchLiterallyAndHarmNothing() throws Exception {
    server.execute("create table if not exists t (x int)");
    for (String hostile :
        List.of("x'; drop table t; --", "%", "_", "*", "é\u0000ü", "z".repeat(10_000))) {
      Run run =
          Run.of(
              server.args(
                  "--list",
                  "-u",
                  hostile,
                  "--database",
                  hostile,
                  "--exclude-application",
                  hostile));

      assertThat(run.status()).as(run.err()).isIn(1, 2);
    }
    assertThat(server.queryString(PostgresServer.SUPERUSER, "select count(*) from t"))
        .isEqualTo("0");
  }

  @Test
  void everyValueReachesTheServerAsABindParameterNeverAsSql() throws Exception {
    String marker = "x'; select 'injected"; // hostile SQL, yet a valid regular expression
    String role = server.createRole("logged", "superuser");
    server.execute("alter role " + role + " set log_statement = 'all'");
    Run run =
        Run.of(
            server.argsAs(
                role,
                "--list",
                "-u",
                marker,
                "--database",
                marker,
                "-a",
                marker,
                "--query",
                marker,
                "-i",
                "--backend-type",
                marker,
                "--exclude-user",
                marker,
                "--exclude-database",
                marker,
                "--exclude-application",
                marker,
                "-s",
                "idle",
                "--idle-longer-than",
                "1s",
                "--running-longer-than",
                "1s",
                "--xact-longer-than",
                "1s",
                "--connected-longer-than",
                "1s"));
    Run pids;
    try (Victim named = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", marker)) {
      named.sleep();
      pids =
          Run.of(
              server.argsAs(
                  role,
                  "--cancel",
                  "--state",
                  "active",
                  "-a",
                  marker,
                  Integer.toString(named.pid())));
      assertThat(named.failure().getSQLState()).isEqualTo("57014");
    }

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(pids.status()).as(pids.err()).isZero();
    PostgresServer.await(
        "the server log", java.time.Duration.ofSeconds(5), () -> logged(role).size() >= 6);
    List<String> lines = logged(role);
    List<String> statements = lines.stream().filter(l -> l.contains("LOG:  execute")).toList();
    assertThat(statements)
        .as("pgkill's statements in the server log")
        .hasSizeGreaterThanOrEqualTo(3)
        .anySatisfy(l -> assertThat(l).contains("where", "like any ($", "~* $"))
        .anySatisfy(l -> assertThat(l).contains("pg_cancel_backend(a.pid)", "a.backend_start = $"))
        .allSatisfy(l -> assertThat(l).doesNotContain("injected"));
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).containsIgnoringCase("DETAIL:  parameters:").contains("injected"));
  }

  /**
   * The server log entries of pgkill's sessions as {@code role}, each with its continuation lines
   * (a statement's later lines start with white space and carry no prefix).
   */
  private List<String> logged(String role) {
    List<String> entries = new java.util.ArrayList<>();
    try {
      for (String line : java.nio.file.Files.readAllLines(server.log())) {
        if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !entries.isEmpty()) {
          entries.set(entries.size() - 1, entries.get(entries.size() - 1) + "\n" + line);
        } else {
          entries.add(line);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return entries.stream().filter(e -> e.startsWith("pgkill@" + role + "@")).toList();
  }

  @Test
  void aDatabaseOwnersFunctionsCannotStandInForTheServers() throws Exception {
    String owner = server.createRole("owner", "createdb");
    String database = "hostile_" + Long.toHexString(System.nanoTime());
    server.execute("create database " + database + " owner " + owner);
    try (Connection asOwner = server.connect(owner, database, "setup");
        Statement statement = asOwner.createStatement()) {
      // A function that says "true" and does nothing, ahead of pg_catalog on the search path.
      statement.execute(
          "create function public.pg_terminate_backend(integer) returns boolean"
              + " language sql as 'select true'");
      statement.execute("alter database " + database + " set search_path = public, pg_catalog");
    }
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run = Run.of(server.args("-d", database, "--terminate", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
    }
  }
}
