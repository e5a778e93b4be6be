package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.testing.Hostile;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetTest {

  @Test
  void aThreePartTokenNamesItsServerAndReadsBackAsPrinted() {
    OffsetDateTime start = OffsetDateTime.parse("2026-11-25T20:30:54.123456Z");
    String token = Target.token(4242, start, "7713852490796072897");

    assertThat(token).isEqualTo("4242@2026-11-25T20:30:54.123456Z@7713852490796072897");
    assertThat(Target.parse(token))
        .isEqualTo(new Target(4242, Optional.of(start), Optional.of("7713852490796072897")));
    assertThat(Target.parse("4242@2026-11-25T20:30:54.123456Z").systemIdentifier()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "4242@2026-11-25T20:30:54Z@",
    "4242@2026-11-25T20:30:54Z@12a",
    "4242@2026-11-25T20:30:54Z@1@2"
  })
  void aSystemIdentifierIsAWholeNumber(String token) {
    assertThatThrownBy(() -> Target.parse(token))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid system identifier ")
        .hasMessageContaining("PID@BACKEND_START@SYSTEM_IDENTIFIER");
  }

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
    assertThatThrownBy(() -> Target.parse(token))
        .isInstanceOf(UsageError.class)
        .hasMessage(message);
  }

  @Test
  void identityTokenCarriesTheBackendStart() {
    Target target = Target.parse("4242@2026-11-25T20:30:54.123456+01:00");

    assertThat(target.pid()).isEqualTo(4242);
    assertThat(target.backendStart())
        .contains(
            OffsetDateTime.parse("2026-11-25T19:30:54.123456Z")
                .withOffsetSameInstant(java.time.ZoneOffset.ofHours(1)));
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
    assertThat(SafeText.quoted("a\u0001b")).isEqualTo("\"a\\x01b\"");
    assertThat(SafeText.quoted("9".repeat(100))).isEqualTo("\"" + "9".repeat(40) + "...\"");
  }

  @Test
  void targetWithoutBackendStartHasNone() {
    assertThat(Target.of(1).backendStart()).isEqualTo(Optional.empty());
  }

  // Properties (jqwik): the examples above show the messages; these show no input escapes them.

  @Property(tries = 300)
  void everyPidAndBackendStartRoundTripsThroughItsToken(
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int pid,
      @ForAll("backendStarts") OffsetDateTime start) {
    Target parsed = Target.parse(Target.token(pid, start));

    assertThat(parsed.pid()).isEqualTo(pid);
    assertThat(parsed.backendStart())
        .hasValueSatisfying(s -> assertThat(s.isEqual(start)).isTrue());
    assertThat(Target.token(parsed.pid(), parsed.backendStart().get()))
        .isEqualTo(Target.token(pid, start));
  }

  @Property(tries = 200)
  void everyPidParsesWithOrWithoutLeadingZeros(
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int pid,
      @ForAll @IntRange(max = 20) int zeros) {
    assertThat(Target.parse("0".repeat(zeros) + pid)).isEqualTo(Target.of(pid));
  }

  @Property(tries = 200)
  void wholeNumbersOutsideOneToIntMaxAreUsageErrors(@ForAll("outsidePidRange") BigInteger number) {
    assertThatThrownBy(() -> Target.parse(number.toString()))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid PID " + SafeText.quoted(number.toString()));
  }

  @Property(tries = 1000)
  void anyTextIsATargetOrAOneLineUsageError(@ForAll("tokens") String token) {
    Target target = Hostile.parseOrUsageError(() -> Target.parse(token));
    if (target != null) {
      // Only ASCII digits, then optionally @ and a time that java.time reads as ISO-8601.
      assertThat(token).matches("0*[1-9][0-9]{0,9}(@.+)?");
      assertThat(Target.parse(token.replaceFirst("@.*", ""))).isEqualTo(Target.of(target.pid()));
    }
  }

  @Provide
  Arbitrary<OffsetDateTime> backendStarts() {
    // Microseconds, as PostgreSQL keeps them, in any zone: the token always says UTC.
    Arbitrary<Instant> instants =
        Arbitraries.longs()
            .between(0, Instant.parse("9999-12-30T00:00:00Z").getEpochSecond() * 1_000_000)
            .map(micros -> Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
    Arbitrary<ZoneOffset> offsets =
        Arbitraries.integers().between(-18 * 3600, 18 * 3600).map(ZoneOffset::ofTotalSeconds);
    return Combinators.combine(instants, offsets).as(OffsetDateTime::ofInstant);
  }

  @Provide
  Arbitrary<BigInteger> outsidePidRange() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers()
            .between(
                BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.ONE), BigInteger.TEN.pow(40)),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.ZERO));
  }

  @Provide
  Arbitrary<String> tokens() {
    return Arbitraries.oneOf(
        Hostile.text(),
        Hostile.near("0123456789-+@:.TZ ", 40),
        backendStarts()
            .map(start -> Target.token(4242, start))
            .flatMap(
                token ->
                    Arbitraries.integers()
                        .between(0, token.length())
                        .flatMap(
                            cut ->
                                Hostile.near("0123456789-+@:.TZ", 3)
                                    .map(
                                        noise ->
                                            token.substring(0, cut)
                                                + noise
                                                + token.substring(cut)))));
  }
}
