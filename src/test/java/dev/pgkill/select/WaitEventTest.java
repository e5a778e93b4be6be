package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.text.UsageError;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WaitEventTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Lock               | Lock           | lock",
        "lock               | Lock           | lock",
        "LOCK:relation      | Lock:relation  | lock:relation",
        "io:DataFileRead    | IO:DataFileRead | io:datafileread",
        "lwlock:WALWrite    | LWLock:WALWrite | lwlock:walwrite",
        "Client:ClientRead  | Client:ClientRead | client:clientread",
        "timeout:PgSleep    | Timeout:PgSleep | timeout:pgsleep",
        "Extension:my:event | Extension:my:event | extension:my:event",
      })
  void typeIsSpeltAsTheServerSpellsItAndMatchedInAnyCase(String typed, String shown, String key) {
    WaitEvent event = WaitEvent.parse(typed);

    assertThat(event.toString()).isEqualTo(shown);
    assertThat(event.key()).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Lock", "lock"})
  void aTypeAloneIsEveryEventOfIt(String typed) {
    assertThat(WaitEvent.parse(typed)).isEqualTo(new WaitEvent("Lock", Optional.empty()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''            | no wait event type; expected TYPE or TYPE:NAME",
        "Locks         | no wait event type \"Locks\"",
        "relation      | no wait event type \"relation\"",
        ":relation     | no wait event type; expected",
        "Lock:         | no event after the colon; give Lock for every Lock wait",
        "Lock,IO       | give --wait-event once for each event",
      })
  void aGarbledValueIsAUsageErrorNamingIt(String typed, String why) {
    assertThatThrownBy(() -> WaitEvent.parse(typed))
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid --wait-event ")
        .hasMessageContaining(why);
  }

  @Test
  void aNulByteIsAUsageErrorAsNoServerTextHoldsOne() {
    assertThatThrownBy(() -> WaitEvent.parse("Lock:a\0b"))
        .isInstanceOf(UsageError.class)
        .hasMessageEndingWith(": contains a NUL byte");
  }
}
