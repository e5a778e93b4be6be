package dev.pgkill;

import static dev.pgkill.testing.Fixtures.unique;
import static dev.pgkill.testing.Victim.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The question a person answers before a filter-chosen signal, and --max, which refuses too many.
 */
@ExtendWith(PostgresExtension.class)
class PromptAndMaxIT {
  private final PostgresServer server;

  PromptAndMaxIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void moreMatchesThanMaxRefusesTheWholeRun() throws Exception {
    String app = unique("max");
    List<Victim> victims = sleepers(app, 3);
    try {
      Run run = Run.of(server.args("--terminate", "-a", app, "--max", "2"));

      assertThat(run.status()).isEqualTo(5);
      assertThat(run.err())
          .isEqualTo(
              "pgkill: error: refusing to terminate 3 sessions: more than --max 2;"
                  + " nothing was signalled\n");
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void dryRunOverMaxStillShowsTheSessionsItRefused() throws Exception {
    String app = unique("maxdry");
    List<Victim> victims = sleepers(app, 3);
    try {
      Run run = Run.of(server.args("--terminate", "--dry-run", "--yes", "-a", app, "--max", "2"));

      assertThat(run.status()).isEqualTo(5);
      for (Victim victim : victims) {
        assertThat(run.lineOf(victim.pid())).contains(app, "active", "select pg_sleep(60)");
        assertThat(victim.stillSleeping()).isTrue();
      }
      assertThat(run.out()).endsWith("3 sessions\n");
      assertThat(run.err())
          .isEqualTo(
              "pgkill: error: refusing to terminate 3 sessions: more than --max 2;"
                  + " nothing was signalled\n");
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void personAtTheTerminalIsAskedAndOnlyYesSignals() throws Exception {
    String app = unique("ask");
    List<Victim> victims = sleepers(app, 2);
    try {
      for (String answer : new String[] {"n", null, "maybe"}) {
        StringBuilder questions = new StringBuilder();
        java.util.Deque<String> answers = new java.util.ArrayDeque<>();
        if (answer != null) {
          answers.add(answer);
        }
        Run declined =
            Run.with(
                java.util.Map.of(),
                "",
                Run.person(answers, questions),
                server.args("-c", "-a", app));

        assertThat(declined.status()).as("answer %s", answer).isEqualTo(5);
        // The table and the question both go to the terminal: standard output stays the report.
        assertThat(questions.toString())
            .startsWith("PID ")
            .contains(Integer.toString(victims.get(0).pid()), app)
            .endsWith(
                "\nCancel 2 sessions on 127.0.0.1:"
                    + server.port()
                    + " (PostgreSQL "
                    + release()
                    + ", primary)? [y/N] \n");
        assertThat(declined.out()).isEmpty();
        assertThat(declined.err()).contains("not confirmed: nothing was signalled");
      }
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }

      Run confirmed =
          Run.with(
              java.util.Map.of(),
              "",
              Run.person(new java.util.ArrayDeque<>(List.of("y")), new StringBuilder()),
              server.args("-c", "-a", app));
      assertThat(confirmed.status()).isZero();
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void aSessionThatStopsMatchingWhileThePersonAnswersIsLeftAlone() throws Exception {
    String app = unique("changed");
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      victim.run("begin").run("select 1");
      dev.pgkill.cli.Terminal slowPerson =
          new dev.pgkill.testing.ScriptedTerminal(
              true,
              new java.util.ArrayDeque<>(List.of("y")),
              dev.pgkill.connect.PasswordSource.NOBODY,
              new StringBuilder());
      // While the question is open, the application commits: the session no longer matches.
      dev.pgkill.cli.Terminal committing =
          new dev.pgkill.cli.Terminal() {
            @Override
            public boolean interactive() {
              return true;
            }

            @Override
            public boolean showsOutput() {
              return false;
            }

            @Override
            public int width() {
              return 0;
            }

            @Override
            public java.util.Optional<char[]> readPassword(String prompt) {
              return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<String> readLine(String prompt) {
              victim.run("commit");
              return slowPerson.readLine(prompt);
            }
          };

      Run run =
          Run.with(
              java.util.Map.of(),
              "",
              committing,
              server.args("--terminate", "-s", "idle-in-transaction", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.lineOf(victim.pid()))
          .contains("idle ", "not signalled: does not match --state idle-in-transaction");
      assertThat(victim.usable()).isTrue();
    }
  }

  @Test
  void aSessionThatEndsWhileThePersonAnswersIsGoneNotUnmatched() throws Exception {
    String app = unique("vanished");
    try (Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app)) {
      victim.run("begin").run("select 1");
      dev.pgkill.cli.Terminal slowPerson =
          new dev.pgkill.testing.ScriptedTerminal(
              true,
              new java.util.ArrayDeque<>(List.of("y")),
              dev.pgkill.connect.PasswordSource.NOBODY,
              new StringBuilder());
      // While the question is open, the session goes away (its client disconnects, say).
      dev.pgkill.cli.Terminal vanishing =
          new dev.pgkill.cli.Terminal() {
            @Override
            public boolean interactive() {
              return true;
            }

            @Override
            public boolean showsOutput() {
              return false;
            }

            @Override
            public int width() {
              return 0;
            }

            @Override
            public java.util.Optional<char[]> readPassword(String prompt) {
              return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<String> readLine(String prompt) {
              try {
                server.execute("select pg_terminate_backend(" + victim.pid() + ")");
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              victim.awaitGone();
              return slowPerson.readLine(prompt);
            }
          };

      Run run =
          Run.with(
              java.util.Map.of(),
              "",
              vanishing,
              server.args("--terminate", "-s", "idle-in-transaction", "-a", app));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.lineOf(victim.pid())).contains("not signalled: gone since it was inspected");
    }
  }

  @Test
  void withNoTerminalAFilterChosenSignalNeedsYes() throws Exception {
    String app = unique("cron");
    List<Victim> victims = sleepers(app, 2);
    try {
      Run refused = Run.of(server.args("-t", "-a", app));

      assertThat(refused.status()).isEqualTo(5);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.err())
          .isEqualTo(
              "pgkill: error: refusing to terminate 2 sessions chosen by a filter: there is"
                  + " no terminal to ask on; add --yes to signal without asking; nothing was"
                  + " signalled\n");
      for (Victim victim : victims) {
        assertThat(victim.stillSleeping()).isTrue();
      }
      // A dry run, a list and named PIDs signal nothing a filter chose: no --yes needed.
      Run rehearsal = Run.of(server.args("-t", "-n", "-a", app));
      assertThat(rehearsal.status()).isZero();
      assertThat(rehearsal.err())
          .isEqualTo(
              "pgkill: hint: without --yes this run would be refused: a selection chose the"
                  + " sessions and there is no terminal to ask on (exit status 5)\n");
      assertThat(Run.of(server.args("-t", "-n", "-a", app, "--yes")).err()).isEmpty();
      assertThat(Run.of(server.args("-l", "-a", app)).status()).isZero();

      Run confirmed = Run.of(server.args("-t", "-a", app, "--yes"));
      assertThat(confirmed.status()).as(confirmed.err()).isZero();
      for (Victim victim : victims) {
        assertThat(victim.failure().getSQLState()).isEqualTo("57P01");
      }
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void theQuestionNamesTheHostOfAFailoverListThatAnswered() throws Exception {
    String app = unique("failover");
    List<Victim> victims = sleepers(app, 1);
    int dead;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      dead = socket.getLocalPort();
    }
    try {
      StringBuilder questions = new StringBuilder();
      Run run =
          Run.with(
              java.util.Map.of(),
              "",
              Run.person(new java.util.ArrayDeque<>(), questions),
              "-h",
              "127.0.0.1,127.0.0.1",
              "-p",
              dead + "," + server.port(),
              "-U",
              PostgresServer.SUPERUSER,
              "-c",
              "-a",
              app);

      assertThat(run.status()).as(run.err()).isEqualTo(5);
      assertThat(questions.toString().lines().reduce((a, b) -> b))
          .hasValue(
              "Cancel 1 session on 127.0.0.1:"
                  + server.port()
                  + " (PostgreSQL "
                  + release()
                  + ", primary)? [y/N] ");
      assertThat(victims.get(0).stillSleeping()).isTrue();
    } finally {
      closeAll(victims);
    }
  }

  @Test
  void theQuestionNamesTheSocketOfAUnixSocketConnection() throws Exception {
    String app = unique("socket");
    List<Victim> victims = sleepers(app, 1);
    try {
      StringBuilder questions = new StringBuilder();
      Run run =
          Run.with(
              java.util.Map.of(),
              "",
              Run.person(new java.util.ArrayDeque<>(), questions),
              "-h",
              server.socketDirectory().toString(),
              "-p",
              Integer.toString(server.port()),
              "-U",
              PostgresServer.SUPERUSER,
              "-c",
              "-a",
              app);

      assertThat(run.status()).as(run.err()).isEqualTo(5);
      assertThat(questions.toString().lines().reduce((a, b) -> b))
          .hasValue(
              "Cancel 1 session on "
                  + server.socketDirectory().resolve(".s.PGSQL." + server.port())
                  + " (PostgreSQL "
                  + release()
                  + ", primary)? [y/N] ");
      assertThat(victims.get(0).stillSleeping()).isTrue();
    } finally {
      closeAll(victims);
    }
  }

  /** The server's release as a DBA names it: 18.1, 10.23. */
  private String release() {
    return server.versionNum() / 10000 + "." + server.versionNum() % 10000;
  }

  @Test
  void namedPidsAreNeverAskedAboutAndYesSkipsTheQuestion() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      StringBuilder questions = new StringBuilder();
      Run run =
          Run.with(
              java.util.Map.of(),
              "",
              Run.person(new java.util.ArrayDeque<>(), questions),
              server.args("-c", Integer.toString(victim.pid())));

      assertThat(run.status()).isZero();
      assertThat(questions).isEmpty();
    }
    String app = unique("yes");
    List<Victim> victims = sleepers(app, 1);
    try {
      StringBuilder questions = new StringBuilder();
      Run run =
          Run.with(
              java.util.Map.of(),
              "",
              Run.person(new java.util.ArrayDeque<>(), questions),
              server.args("-c", "-y", "-a", app));

      assertThat(run.status()).isZero();
      assertThat(questions).isEmpty();
      assertThat(victims.get(0).failure().getSQLState()).isEqualTo("57014");
    } finally {
      closeAll(victims);
    }
  }

  private List<Victim> sleepers(String application, int count) throws Exception {
    return Victim.sleepers(server, application, count);
  }
}
