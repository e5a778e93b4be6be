package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.UsageError;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetReaderTest {

  private static List<Target> read(String input) {
    List<Target> targets = new ArrayList<>();
    new TargetReader("standard input").read(new StringReader(input), targets::add);
    return targets;
  }

  @Test
  void readsPidsSeparatedByAnyWhiteSpace() {
    assertThat(read("1 2\t3\n4\r\n\n  5")).extracting(Target::pid).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void skipsCommentsAndBlankLines() {
    assertThat(read("# header\n\n7 # trailing comment 8\n#9\n10\n"))
        .extracting(Target::pid)
        .containsExactly(7, 10);
  }

  @Test
  void readsIdentityTokens() {
    assertThat(read("7@2026-11-25T20:30:54.123456Z\n")).singleElement()
        .satisfies(t -> assertThat(t.backendStart()).isPresent());
  }

  @Test
  void emptyInputHasNoTargets() {
    assertThat(read("")).isEmpty();
    assertThat(read("# only a comment\n")).isEmpty();
  }

  @Test
  void badTokenNamesItsLine() {
    assertThatThrownBy(() -> read("1\n2\nthree\n"))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid PID \"three\": not a whole number (standard input line 3)");
  }

  @Test
  void hashInsideATokenIsNoComment() {
    assertThatThrownBy(() -> read("10#11\n"))
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid PID \"10#11\": not a whole number (standard input line 1)");
  }

  @Test
  void binaryInputIsRefused() {
    assertThatThrownBy(() -> read("1\n\u0000\u0001\u0002"))
        .isInstanceOf(UsageError.class)
        .hasMessage("binary data on standard input line 2: expected PIDs, one per line");
  }

  @Test
  void endlessLineIsRefusedWithoutReadingItAll() {
    Reader endless =
        new Reader() {
          @Override
          public int read(char[] buffer, int offset, int length) {
            java.util.Arrays.fill(buffer, offset, offset + length, '7');
            return length;
          }

          @Override
          public void close() {}
        };
    assertThatThrownBy(
            () -> new TargetReader("standard input").read(endless, t -> {}))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("standard input line 1: longer than 64 characters");
  }

  @Test
  void manyPidsStream() {
    StringBuilder input = new StringBuilder();
    for (int pid = 1; pid <= 100_000; pid++) {
      input.append(pid).append('\n');
    }
    assertThat(read(input.toString())).hasSize(100_000);
  }
}
