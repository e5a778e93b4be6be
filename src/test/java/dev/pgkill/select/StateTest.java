package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Hostile;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.Arrays;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StateTest {
  private static final Set<String> NAMES =
      Set.of(
          "active",
          "idle",
          "idle-in-transaction",
          "idle-in-transaction-aborted",
          "fastpath",
          "disabled",
          "idle in transaction",
          "idle in transaction (aborted)",
          "fastpath function call");

  @Test
  void readsTheOptionSpellingAndTheServers() {
    assertThat(State.parse("idle-in-transaction")).isEqualTo(State.IDLE_IN_TRANSACTION);
    assertThat(State.parse("idle in transaction (aborted)"))
        .isEqualTo(State.IDLE_IN_TRANSACTION_ABORTED);
    assertThat(Arrays.stream(State.values()).map(s -> State.parse(s.server())))
        .containsExactly(State.values());
  }

  @Property(tries = 300)
  void onlyTheDocumentedNamesAreStatesAndAnythingElseListsThem(@ForAll("names") String text) {
    State state = Hostile.parseOrUsageError(() -> State.parse(text));

    assertThat(state != null).as("parsed %s", text).isEqualTo(NAMES.contains(text));
    if (state == null) {
      try {
        State.parse(text);
      } catch (UsageError e) {
        assertThat(e.getMessage())
            .startsWith("invalid --state " + SafeText.quoted(text))
            .endsWith(
                "expected one of active, idle, idle-in-transaction,"
                    + " idle-in-transaction-aborted, fastpath, disabled");
      }
    }
  }

  @Provide
  Arbitrary<String> names() {
    // The real names, their near misses (case, white space, a character more or less), and noise.
    Arbitrary<String> real = Arbitraries.of(NAMES.stream().toList());
    return Arbitraries.oneOf(
        real,
        real.map(n -> n.toUpperCase(java.util.Locale.ROOT)),
        real.map(n -> " " + n),
        real.map(n -> n.substring(1)),
        real.map(n -> n.replace('-', '_')),
        Hostile.text(),
        Hostile.near("adefilnopstv-_ ()", 30));
  }
}
