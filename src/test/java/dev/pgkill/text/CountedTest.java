package dev.pgkill.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountedTest {
  @Test
  void oneIsSingularAndEveryOtherCountPluralZeroToo() {
    assertThat(Counted.of(1, "session")).isEqualTo("1 session");
    assertThat(Counted.of(0, "session")).isEqualTo("0 sessions");
    assertThat(Counted.of(3, "session")).isEqualTo("3 sessions");
    assertThat(Counted.of(2_147_483_648L, "target")).isEqualTo("2147483648 targets");
  }

  @Test
  void anIrregularPluralOrAVerbThatAgreesIsGivenInFull() {
    assertThat(Counted.of(1, "query", "queries")).isEqualTo("1 query");
    assertThat(Counted.of(2, "query", "queries")).isEqualTo("2 queries");
    assertThat(Counted.of(1, "session waits", "sessions wait")).isEqualTo("1 session waits");
    assertThat(Counted.of(4, "session waits", "sessions wait")).isEqualTo("4 sessions wait");
  }
}
