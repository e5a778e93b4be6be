package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checks pgkill makes of --query and --client before connecting, against what the server itself
 * says of the same values: a checked value the server would take is never refused.
 */
@ExtendWith(PostgresExtension.class)
class InputChecksIT {
  private final PostgresServer server;

  InputChecksIT(PostgresServer server) {
    this.server = server;
  }

  /**
   * The server's SQLSTATE and message for each value cast or compiled by {@code expression}, null
   * where it took the value.
   */
  private List<String> serverErrors(String expression, List<String> values) throws SQLException {
    List<String> errors = new ArrayList<>();
    try (Connection connection = server.connect(PostgresServer.SUPERUSER);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "create function pg_temp.error_of(v text) returns text language plpgsql as $$"
              + " begin perform "
              + expression
              + "; return null;"
              + " exception when others then return sqlstate || ': ' || sqlerrm; end $$");
      try (PreparedStatement check = connection.prepareStatement("select pg_temp.error_of(?)")) {
        for (String value : values) {
          check.setString(1, value);
          try (ResultSet row = check.executeQuery()) {
            row.next();
            errors.add(row.getString(1));
          }
        }
      }
    }
    return errors;
  }

  private static List<String> sample(net.jqwik.api.Arbitrary<String> arbitrary, int count) {
    Set<String> values = new LinkedHashSet<>();
    arbitrary.sampleStream().limit(count).forEach(values::add);
    return List.copyOf(values);
  }

  @Test
  void patternsThisCheckRefusesTheServerRefusesAndTheValidOnesItTakes() throws SQLException {
    List<String> valid = new ArrayList<>(QueryRegexTest.VALID);
    valid.addAll(sample(QueryRegexTest.patterns(), 1000));
    List<String> any = sample(QueryRegexTest.anything(), 4000);

    List<String> validErrors = serverErrors("'' ~ v", valid);
    List<String> anyErrors = serverErrors("'' ~ v", any);

    List<String> refusedByServer = new ArrayList<>();
    for (int i = 0; i < valid.size(); i++) {
      // A size limit, not the syntax: the generator's random nesting can reach it.
      if (validErrors.get(i) != null
          && !validErrors.get(i).endsWith("regular expression is too complex")) {
        refusedByServer.add(valid.get(i) + " (" + validErrors.get(i) + ")");
      }
      assertThat(QueryRegex.mistake(valid.get(i))).as(valid.get(i)).isNull();
    }
    assertThat(refusedByServer).as("the generator makes only valid patterns").isEmpty();
    List<String> examples =
        QueryRegexTest.REFUSED.stream().map(line -> line.split(" => ")[0]).toList();
    List<String> words =
        QueryRegexTest.REFUSED.stream()
            .map(line -> "2201B: invalid regular expression: " + line.split(" => ")[1])
            .toList();
    assertThat(serverErrors("'' ~ v", examples)).as("PostgreSQL's words").isEqualTo(words);
    List<String> wronglyRefused = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < any.size(); i++) {
      if (QueryRegex.mistake(any.get(i)) != null) {
        refused++;
        if (anyErrors.get(i) == null || !anyErrors.get(i).startsWith("2201B")) {
          wronglyRefused.add(any.get(i) + " -> " + QueryRegex.mistake(any.get(i)));
        }
      }
    }
    assertThat(wronglyRefused).as("refused here, taken by the server").isEmpty();
    assertThat(refused)
        .as("the random patterns hold mistakes to find")
        .isGreaterThan(any.size() / 10);
  }

  @Test
  void clientAddressesAreReadExactlyAsTheServerReadsInet() throws SQLException {
    List<String> values = new ArrayList<>(ClientAddressTest.INET);
    values.addAll(ClientAddressTest.NOT_INET);
    values.addAll(sample(ClientAddressTest.anything(), 4000));
    values.addAll(sample(ClientAddressTest.anything().map(s -> s.replace('x', '.')), 2000));

    List<String> errors = serverErrors("v::inet", values);

    String disagreements =
        java.util.stream.IntStream.range(0, values.size())
            .filter(i -> ClientAddress.isInet(values.get(i)) != (errors.get(i) == null))
            .mapToObj(i -> "\"" + values.get(i) + "\": server " + errors.get(i))
            .collect(Collectors.joining("\n"));
    assertThat(disagreements).isEmpty();
  }
}
