package dev.pgkill.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

  @Test
  void lineBreaksAndTheirIndentBecomeOneSpace() {
    assertThat(SafeText.oneLine("ERROR: x\n  DETAIL: y\r\n")).isEqualTo("ERROR: x DETAIL: y");
  }

  @Test
  void controlCharactersAreShownNotSent() {
    assertThat(SafeText.oneLine("a\u001b[31mb\u0007")).isEqualTo("a\\x1b[31mb\\x07");
  }

  @Test
  void ordinaryTextIsUnchanged() {
    assertThat(SafeText.oneLine("permission denied to cancel query"))
        .isEqualTo("permission denied to cancel query");
  }

  @Test
  void invisibleAndBidirectionalCharactersAreShownNotSent() {
    // A right-to-left override would make "gpj.exe" read as "exe.jpg"; a zero-width space hides.
    assertThat(SafeText.oneLine("app\u202egpj.exe\u200b")).isEqualTo("app\\u202egpj.exe\\u200b");
    assertThat(SafeText.escaped("caf\u00e9 \u65e5\u672c")).isEqualTo("caf\u00e9 \u65e5\u672c");
  }
}
