package dev.pgkill.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Assertions;
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

  @Property(tries = 2000)
  void linesAreJoinedExactlyAsTheRegularExpressionJoinedThem(
      @ForAll
          @StringLength(max = 12)
          @Chars({' ', '\t', '\n', '\u000b', '\f', '\r'})
          @Chars({'\u0085', '\u2028', '\u2029', 'a', '\u00a0'})
          String text) {
    assertThat(SafeText.joinLines(text)).isEqualTo(text.replaceAll("\\s*\\R\\s*", " "));
  }

  @Test
  void aLongRunOfSpacesWithoutALineBreakTakesNoTime() {
    String spaces = "-U " + " ".repeat(100_000) + "x";

    String line =
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () -> SafeText.oneLine(spaces));

    assertThat(line).isEqualTo(spaces);
  }
}
