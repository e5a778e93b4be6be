package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.testing.Hostile;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
  private static final List<Tuple2<String, Duration>> UNITS =
      List.of(
          Tuple.of("d", Duration.ofDays(1)),
          Tuple.of("h", Duration.ofHours(1)),
          Tuple.of("m", Duration.ofMinutes(1)),
          Tuple.of("s", Duration.ofSeconds(1)),
          Tuple.of("ms", Duration.ofMillis(1)));
  private static final Duration HUNDRED_YEARS = Duration.ofDays(100 * 365);

  @ParameterizedTest
  @CsvSource({"500ms,PT0.5S", "30s,PT30S", "5m,PT5M", "1h30m,PT1H30M", "2d,PT48H", "0s,PT0S"})
  void readsTheFormsTheHelpShows(String text, Duration expected) {
    assertThat(Durations.parse("--idle-longer-than", text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "PT10S,10s",
    "PT0.5S,500ms",
    "PT1M30S,1m30s",
    "PT1.5S,1s500ms",
    "PT48H,2d",
    "PT0S,0ms"
  })
  void printsDurationsAsTheyAreTypedNotAsIso8601(Duration duration, String expected) {
    assertThat(Durations.format(duration)).isEqualTo(expected);
  }

  @Property
  void whatItPrintsReadsBackAsTheSameDuration(@ForAll("millis") long millis) {
    Duration duration = Duration.ofMillis(millis);

    assertThat(Durations.parse("--wait", Durations.format(duration))).isEqualTo(duration);
  }

  @Provide
  Arbitrary<Long> millis() {
    return Arbitraries.longs().between(0, HUNDRED_YEARS.toMillis());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "30m1h     | units must go from largest to smallest, each once",
        "1m1m      | units must go from largest to smallest, each once",
        "''        | expected a duration such as 500ms, 30s, 5m, 1h30m or 2d",
        "1.5h      | expected a duration such as 500ms, 30s, 5m, 1h30m or 2d",
        "-5m       | expected a duration such as 500ms, 30s, 5m, 1h30m or 2d",
        "36501d    | longer than 100 years",
      })
  void anythingElseIsAUsageErrorNamingTheOption(String text, String why) {
    assertThatThrownBy(() -> Durations.parse("--idle-longer-than", text))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid --idle-longer-than " + SafeText.quoted(text) + ": " + why);
  }

  // Properties (jqwik)

  @Property(tries = 300)
  void generatedDurationsParseToWhatTheySay(
      @ForAll("durations") Tuple2<String, Duration> duration) {
    String text = duration.get1();
    Duration expected = duration.get2();
    if (expected.compareTo(HUNDRED_YEARS) > 0) {
      assertThatThrownBy(() -> Durations.parse("--xact-longer-than", text))
          .isInstanceOf(UsageError.class)
          .hasMessageEndingWith(": longer than 100 years");
    } else {
      assertThat(Durations.parse("--xact-longer-than", text)).isEqualTo(expected);
    }
  }

  @Property(tries = 500)
  void anyTextIsANonNegativeDurationOrAUsageErrorNamingIt(@ForAll("texts") String text) {
    Duration parsed =
        Hostile.parseOrUsageError(() -> Durations.parse("--running-longer-than", text));
    if (parsed == null) {
      assertThatThrownBy(() -> Durations.parse("--running-longer-than", text))
          .hasMessageStartingWith("invalid --running-longer-than " + SafeText.quoted(text) + ": ");
    } else {
      assertThat(parsed.isNegative()).isFalse();
      assertThat(parsed).isLessThanOrEqualTo(HUNDRED_YEARS);
    }
  }

  /** A duration in the documented form, largest unit first, each unit at most once. */
  @Provide
  Arbitrary<Tuple2<String, Duration>> durations() {
    return Arbitraries.subsetOf(UNITS)
        .ofMinSize(1)
        .flatMap(
            units ->
                Arbitraries.integers()
                    .between(0, 999_999_999)
                    .withDistribution(net.jqwik.api.RandomDistribution.biased())
                    .list()
                    .ofSize(units.size())
                    .map(
                        amounts -> {
                          StringBuilder text = new StringBuilder();
                          Duration total = Duration.ZERO;
                          int i = 0;
                          for (Tuple2<String, Duration> unit : UNITS) {
                            if (units.contains(unit)) {
                              int amount = amounts.get(i++);
                              text.append(amount).append(unit.get1());
                              total = total.plus(unit.get2().multipliedBy(amount));
                            }
                          }
                          return Tuple.of(text.toString(), total);
                        }));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(Hostile.text(), Hostile.near("0123456789dhms. -", 20));
  }
}
