package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.UsageError;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TargetTest {

  @ParameterizedTest
  @CsvSource({"1,1", "4242,4242", "007,7", "2147483647,2147483647"})
  void wholeNumbersFromOneUpAreTargets(String token, int pid) {
    assertThat(Target.parse(token)).isEqualTo(Target.of(pid));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "12x        | invalid PID \"12x\": not a whole number",
        "-5         | invalid PID \"-5\": PIDs are positive whole numbers",
        "0          | invalid PID \"0\": PIDs start at 1",
        "000        | invalid PID \"000\": PIDs start at 1",
        "2147483648 | invalid PID \"2147483648\": larger than any PID (2147483647)",
        "99999999999999999999 | invalid PID \"99999999999999999999\": larger than any PID (2147483647)",
        "+5         | invalid PID \"+5\": not a whole number",
        "1e3        | invalid PID \"1e3\": not a whole number",
        "١٢         | invalid PID \"١٢\": not a whole number",
        "@2026-01-01T00:00:00Z | invalid PID \"\": empty",
      })
  void everythingElseIsAUsageErrorNamingTheInput(String token, String message) {
    assertThatThrownBy(() -> Target.parse(token)).isInstanceOf(UsageError.class).hasMessage(message);
  }

  @Test
  void identityTokenCarriesTheBackendStart() {
    Target target = Target.parse("4242@2026-11-25T20:30:54.123456+01:00");

    assertThat(target.pid()).isEqualTo(4242);
    assertThat(target.backendStart())
        .contains(OffsetDateTime.parse("2026-11-25T19:30:54.123456Z").withOffsetSameInstant(java.time.ZoneOffset.ofHours(1)));
  }

  @Test
  void tokenPrintsUtcWithMicrosecondsAndParsesBack() {
    OffsetDateTime start = OffsetDateTime.parse("2026-11-25T21:30:54.1+01:00");

    String token = Target.token(4242, start);

    assertThat(token).isEqualTo("4242@2026-11-25T20:30:54.100000Z");
    assertThat(Target.parse(token).backendStart().get().isEqual(start)).isTrue();
  }

  @Test
  void badBackendStartNamesTheToken() {
    assertThatThrownBy(() -> Target.parse("4242@yesterday"))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid backend start \"yesterday\" in \"4242@yesterday\"");
  }

  @Test
  void quoteShowsControlCharactersAndCutsLongInput() {
    assertThat(Target.quote("a\u0001b")).isEqualTo("\"a\\x01b\"");
    assertThat(Target.quote("9".repeat(100))).isEqualTo("\"" + "9".repeat(40) + "...\"");
  }

  @Test
  void targetWithoutBackendStartHasNone() {
    assertThat(Target.of(1).backendStart()).isEqualTo(Optional.empty());
  }
}
