package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --keep-newest N --per GROUP: at most N sessions of each group are left. */
@ExtendWith(PostgresExtension.class)
class ConnectionCapsIT {
  private final PostgresServer server;

  ConnectionCapsIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void keepNewestTwoPerApplicationTerminatesExactlyTheThreeOldestOfEachApplication()
      throws Exception {
    String prefix = unique("cap");
    String crowded = prefix + "-web";
    String quiet = prefix + "-batch";
    List<Victim> victims = new ArrayList<>();
    try {
      // The bystanders connect first: counted over every session, they would be the oldest.
      Victim firstBystander = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", quiet);
      victims.add(firstBystander);
      Victim secondBystander = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", quiet);
      victims.add(secondBystander);
      List<Victim> web = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", crowded);
        victims.add(victim);
        web.add(victim);
      }
      List<Victim> oldest = web.subList(0, 3);
      List<Victim> newest = web.subList(3, 5);

      Run list =
          Run.of(
              server.args(
                  "--list", "--keep-newest", "2", "--per", "application", "-a", prefix + "-*"));
      assertThat(list.status()).as(list.out() + list.err()).isZero();
      assertThat(list.out()).contains("NEWEST").endsWith("3 sessions\n");
      assertThat(list.lineOf(oldest.get(0).pid())).contains(" 5 of 5");
      assertThat(list.lineOf(oldest.get(2).pid())).contains(" 3 of 5");

      Run json =
          Run.of(
              server.args(
                  "--list",
                  "--keep-newest",
                  "2",
                  "--per",
                  "application",
                  "-a",
                  prefix + "-*",
                  "-o",
                  "json"));
      Map<String, Object> first = json(json.out().lines().findFirst().orElseThrow());
      assertThat(first).containsEntry("group_sessions", 5).containsEntry("application", crowded);

      Run run =
          Run.of(
              server.args(
                  "--terminate",
                  "--yes",
                  "--keep-newest",
                  "2",
                  "--per",
                  "application",
                  "-a",
                  prefix + "-*"));

      assertThat(run.status()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("terminate: 3 of 3 targets signalled");
      for (Victim victim : oldest) {
        assertThat(run.lineOf(victim.pid())).contains("signalled");
        assertThat(victim.errorOf("select 1").getSQLState()).isEqualTo("57P01");
      }
      for (Victim victim : newest) {
        assertThat(victim.usable()).as("one of the two newest").isTrue();
      }
      assertThat(firstBystander.usable()).as("a bystander of another application").isTrue();
      assertThat(secondBystander.usable()).as("a bystander of another application").isTrue();
      assertThat(run.out())
          .doesNotContain(firstBystander.pid() + " ", secondBystander.pid() + " ")
          .doesNotContain(newest.get(0).pid() + " ", newest.get(1).pid() + " ");
    } finally {
      Victim.closeAll(victims);
    }
  }

  @Test
  void aNamedSessionAmongTheNewestIsLeftAloneAndSaysWhy() throws Exception {
    String app = unique("capnamed");
    List<Victim> victims = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        victims.add(Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app));
      }
      Victim oldest = victims.get(0);
      Victim newest = victims.get(2);

      Run run =
          Run.of(
              server.args(
                  "--terminate",
                  "--yes",
                  "--keep-newest",
                  "2",
                  "--per",
                  "application",
                  "-a",
                  app,
                  Integer.toString(oldest.pid()),
                  Integer.toString(newest.pid())));

      assertThat(run.status()).as(run.out() + run.err()).isEqualTo(4);
      assertThat(run.lineOf(oldest.pid())).contains("signalled");
      assertThat(run.lineOf(newest.pid()))
          .contains("one of the newest 2 of its application (--keep-newest 2 --per application)");
      assertThat(newest.usable()).isTrue();
      assertThat(oldest.errorOf("select 1").getSQLState()).isEqualTo("57P01");
    } finally {
      Victim.closeAll(victims);
    }
  }
}
