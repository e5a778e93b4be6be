package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.text.UsageError;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsAddressTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "9187|           |9187",
        "0|              |0",
        "65535|          |65535",
        "127.0.0.1:9187| 127.0.0.1|9187",
        "localhost:9187| localhost|9187",
        "[::1]:9187|     ::1|9187",
        "[::]:9187|      ::|9187",
      })
  void readsAPortAndAnOptionalAddress(String text, String host, int port) {
    MetricsAddress address = MetricsAddress.parse(text);

    assertThat(address).isEqualTo(new MetricsAddress(Optional.ofNullable(host), port));
    assertThat(address.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "70000|          the port must be a number from 0 to 65535",
        "99999999999|    the port must be a number from 0 to 65535",
        "abc|            the port must be a number from 0 to 65535",
        "-1|             the port must be a number from 0 to 65535",
        "''|             the port must be a number from 0 to 65535",
        "127.0.0.1:|     the port must be a number from 0 to 65535",
        "127.0.0.1:http| the port must be a number from 0 to 65535",
        ":|              no address before the colon (give PORT alone to listen on every interface)",
        ":9187|          no address before the colon (give PORT alone to listen on every interface)",
        "::1:9187|       an IPv6 address goes in brackets, [::1]:9187",
        "[]:9187|        an IPv6 address goes in brackets, [::1]:9187",
        "'a b:9187'|     the address holds a space or a control character",
      })
  void refusesAnythingElseInOneLineNamingIt(String text, String why) {
    assertThatThrownBy(() -> MetricsAddress.parse(text))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid --metrics-port \"" + text + "\": expected [ADDRESS:]PORT; " + why);
  }

  @ParameterizedTest
  @CsvSource({"'evil\u001b[31m:9187'", "'line\nbreak:9187'"})
  void aControlCharacterNeverReachesTheTerminal(String text) {
    assertThatThrownBy(() -> MetricsAddress.parse(text))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("the address holds a space or a control character")
        .hasMessageNotContaining("\u001b")
        .hasMessageNotContaining("\n");
  }
}
