package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

/** --client as the server's inet reads it; QueryRegexIT checks the same values on a server. */
class ClientAddressTest {
  /** Values the server takes as inet. */
  static final List<String> INET =
      List.of(
          "10.1.2.3",
          "10.1.2.3/32",
          "10.0.0.0/8",
          "10.1/16",
          "10/8",
          "0.0.0.0/0",
          "192.168.0.1/24",
          "::1",
          "::",
          "::/0",
          "fe80::1/64",
          "2001:db8::",
          "1:2:3:4:5:6:7:8",
          "::ffff:10.0.0.1",
          "::ffff:10.0.0.1/96",
          "1:2:3:4:5:6:1.2.3.4",
          "ABCD::ef",
          "::1/128");

  /** Values it refuses. */
  static final List<String> NOT_INET =
      List.of(
          "notanip",
          "10.0.0.256",
          "1.2.3.4.5",
          "10.1",
          "10.1/24",
          "10.0.0.1/33",
          "10.0.0.1/",
          "10.0.0.1 ",
          " 10.0.0.1",
          "1.2.3.",
          "::1/129",
          "::1/01",
          "1::2::3",
          ":1",
          "1:2:3:4:5:6:7:8:9",
          "12345::",
          "::ffff:01.2.3.4",
          "fe80::1%eth0",
          "db1.example.com",
          "localhost",
          "0x0a.0.0.1",
          "1:2:3:4:5:6:7::8:9",
          "1:");

  @Test
  void addressesAndNetworksTheServerReadsPass() {
    for (String client : INET) {
      assertThat(ClientAddress.isInet(client)).as(client).isTrue();
      ClientAddress.check(client);
    }
    ClientAddress.check("local");
  }

  @Test
  void anythingElseIsAOneLineUsageErrorNamingIt() {
    for (String client : NOT_INET) {
      assertThat(ClientAddress.isInet(client)).as(client).isFalse();
      assertThatThrownBy(() -> ClientAddress.check(client))
          .isInstanceOf(UsageError.class)
          .hasMessage(
              "invalid --client "
                  + SafeText.quoted(client)
                  + ": not an address or network"
                  + " such as 10.1.2.3, 10.0.0.0/8, ::1 or local");
    }
  }

  /** Short strings of the characters addresses are made of, for QueryRegexIT to compare. */
  static Arbitrary<String> anything() {
    return Arbitraries.strings().withChars("0123456789abcdef.:/%x").ofMaxLength(14);
  }
}
