package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ipv6GroupsTest {
  private static Ipv6Groups groups(int count) {
    Ipv6Groups groups = new Ipv6Groups();
    for (int i = 0; i < count; i++) {
      groups.hexDigit();
      groups.colon(false);
    }
    return groups;
  }

  @Test
  void eightGroupsOrFewerWithOneElisionMakeAnAddress() {
    Ipv6Groups eight = groups(7);
    eight.hexDigit();
    Ipv6Groups elided = groups(2);
    elided.colon(false);

    assertThat(eight.complete()).isTrue();
    assertThat(elided.complete()).isTrue();
    assertThat(groups(2).complete()).as("1:2: without ::").isFalse();
  }

  @Test
  void aFifthDigitASecondElisionOrANinthGroupIsRefused() {
    Ipv6Groups group = new Ipv6Groups();
    for (int i = 0; i < 4; i++) {
      assertThat(group.hexDigit()).isTrue();
    }
    Ipv6Groups twice = new Ipv6Groups();
    twice.colon(false);

    assertThat(group.hexDigit()).isFalse();
    assertThat(twice.colon(false)).isFalse();
    Ipv6Groups eight = groups(8);
    eight.hexDigit();
    assertThat(eight.colon(false)).isFalse();
  }

  @Test
  void anIpv4TailTakesFourBytesAndAColonMayNotEndTheText() {
    Ipv6Groups six = groups(6);
    Ipv6Groups seven = groups(7);
    Ipv6Groups last = new Ipv6Groups();
    last.hexDigit();

    assertThat(six.roomForIpv4()).isTrue();
    six.ipv4();
    assertThat(six.complete()).isTrue();
    assertThat(seven.roomForIpv4()).isFalse();
    assertThat(last.colon(true)).isFalse();
  }
}
