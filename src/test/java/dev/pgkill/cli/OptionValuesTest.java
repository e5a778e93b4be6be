package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.text.UsageError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionValuesTest {
  @Test
  void aGoodValueComesBackAsItWasGiven() {
    assertThat(OptionValues.regex("^select")).isEqualTo("^select");
    assertThat(OptionValues.nonEmpty("--user", List.of("alice", "bob")))
        .containsExactly("alice", "bob");
    assertThat(OptionValues.addresses(List.of("local", "10.0.0.0/8", "::1")))
        .containsExactly("local", "10.0.0.0/8", "::1");
    assertThat(OptionValues.duration("--idle-longer-than", "1h30m"))
        .contains(Duration.ofMinutes(90));
    assertThat(OptionValues.duration("--idle-longer-than", null)).isEmpty();
    assertThat(OptionValues.transactions("2147483647")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void anEmptyOrNulValueIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> OptionValues.nonEmpty("--database", List.of("shop", "")))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid --database \"\": empty");
    assertThatThrownBy(() -> OptionValues.nonEmpty("--user", List.of("al\0ice")))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid --user ")
        .hasMessageEndingWith(": contains a NUL byte");
    assertThatThrownBy(() -> OptionValues.regex(""))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid --query \"\": empty pattern would match every session");
  }

  @Test
  void aZeroDurationOrCountWouldChooseEverySessionAndIsRefused() {
    assertThatThrownBy(() -> OptionValues.duration("--xact-longer-than", "0s"))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid --xact-longer-than \"0s\": a zero duration");
    assertThatThrownBy(() -> OptionValues.transactions("0"))
        .isInstanceOf(UsageError.class)
        .hasMessage(
            "invalid --xmin-older-than \"0\": expected a number of transactions from 1 to"
                + " 2147483647");
    assertThatThrownBy(() -> OptionValues.transactions("2147483648"))
        .isInstanceOf(UsageError.class);
  }
}
