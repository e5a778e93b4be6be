package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneLineTest {

  @Test
  void lineBreaksAndTheirIndentBecomeOneSpace() {
    assertThat(OneLine.of("ERROR: x\n  DETAIL: y\r\n")).isEqualTo("ERROR: x DETAIL: y");
  }

  @Test
  void controlCharactersAreShownNotSent() {
    assertThat(OneLine.of("a\u001b[31mb\u0007")).isEqualTo("a\\x1b[31mb\\x07");
  }

  @Test
  void ordinaryTextIsUnchanged() {
    assertThat(OneLine.of("permission denied to cancel query")).isEqualTo("permission denied to cancel query");
  }
}
