package dev.pgkill;

import static dev.pgkill.testing.Fixtures.json;
import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Victim;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --client-hostname GLOB} on real sessions: the server fills client_hostname only with
 * log_hostname on, by a reverse lookup of the client's address, so this class starts a server of
 * its own with it on rather than change the shared one.
 */
class ClientHostnameIT {
  @Test
  void aTcpSessionIsChosenByTheNameItsAddressLooksUpTo() throws Exception {
    try (PostgresServer server = PostgresServer.start(Map.of("log_hostname", "on"))) {
      String app = unique("hostname");
      try (Victim tcp = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", app);
          Victim socket = Victim.local(server, PostgresServer.SUPERUSER, app)) {
        String hostname =
            server.queryString(
                PostgresServer.SUPERUSER,
                "select client_hostname from pg_stat_activity where pid = " + tcp.pid());
        // 127.0.0.1 is localhost in the /etc/hosts of every machine the tests are meant for; a
        // host whose resolver says otherwise cannot show what this test is about.
        assumeTrue(
            hostname != null && hostname.startsWith("local"),
            "the reverse lookup of the client address gave "
                + hostname
                + ", not a name starting with local");

        Run listed =
            Run.of(server.args("--list", "-a", app, "--client-hostname", "local*", "-o", "json"));
        Run elsewhere =
            Run.of(server.args("--list", "-a", app, "--client-hostname", "*.example.com"));
        Run terminated = Run.of(server.args("-t", "-y", "-a", app, "--client-hostname", "local*"));

        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out().lines().map(line -> json(line)).toList())
            .filteredOn(line -> "session".equals(line.get("type")))
            .singleElement()
            .satisfies(
                line ->
                    assertThat(line)
                        .containsEntry("pid", tcp.pid())
                        .containsEntry("client_hostname", hostname));
        assertThat(elsewhere.status()).as(elsewhere.out() + elsewhere.err()).isEqualTo(1);
        assertThat(elsewhere.out()).doesNotContain(tcp.pid() + " ", socket.pid() + " ");
        assertThat(terminated.status()).as(terminated.out() + terminated.err()).isZero();
        assertThat(terminated.lineOf(tcp.pid())).contains("signalled");
        assertThat(tcp.errorOf("select 1").getSQLState()).isIn("57P01", "08006", "08003");
        assertThat(socket.usable()).as("a Unix-socket session has no host name").isTrue();
      }
    }
  }
}
