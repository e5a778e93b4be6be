package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.report.MetricsAddress;
import dev.pgkill.text.UsageError;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** --metrics-port on its own, until the watch loop puts it on pgkill's command line. */
class MetricsOptionsTest {

  @Command(name = "pgkill")
  static final class Watch {
    @Mixin MetricsOptions metrics = new MetricsOptions();
  }

  private static MetricsOptions parse(String... args) {
    Watch watch = new Watch();
    new CommandLine(watch).parseArgs(args);
    return watch.metrics;
  }

  @Test
  void withoutTheOptionNothingIsServed() {
    assertThat(parse().address()).isEmpty();
  }

  @Test
  void aPortAloneListensOnEveryInterface() {
    assertThat(parse("--metrics-port", "9187").address())
        .contains(new MetricsAddress(Optional.empty(), 9187));
    assertThat(parse("--metrics-port=127.0.0.1:9187").address())
        .contains(new MetricsAddress(Optional.of("127.0.0.1"), 9187));
  }

  @ParameterizedTest
  @ValueSource(strings = {"70000", "abc", ":"})
  void aBadPortIsOneLineNamingTheOptionAndTheValue(String value) {
    MetricsOptions options = parse("--metrics-port", value);

    assertThatThrownBy(options::address)
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith(
            "invalid --metrics-port \"" + value + "\": expected [ADDRESS:]PORT; ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void theHelpSaysWhereAndWhat() {
    String help =
        new CommandLine(new Watch())
            .getUsageMessage(CommandLine.Help.Ansi.OFF)
            .replaceAll("\\s+", " ");

    assertThat(help)
        .contains("--metrics-port=[ADDRESS:]PORT")
        .contains("With --watch: serve Prometheus metrics at /metrics on this port")
        .contains("127.0.0.1:9187");
  }
}
