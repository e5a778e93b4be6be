package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.testing.Hostile;
import dev.pgkill.text.UsageError;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
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
    assertThat(read("7@2026-11-25T20:30:54.123456Z\n"))
        .singleElement()
        .satisfies(t -> assertThat(t.backendStart()).isPresent());
  }

  @Test
  void aByteOrderMarkAtTheStartIsSkippedAsWindowsToolsWriteIt() {
    byte[] bytes = "\ufeff7\r\n8\r\n".getBytes(StandardCharsets.UTF_8);
    List<Target> targets = new ArrayList<>();
    new TargetReader("standard input")
        .read(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
            targets::add);

    assertThat(targets).extracting(Target::pid).containsExactly(7, 8);
    assertThat(read("\ufeff")).isEmpty();
  }

  @Test
  void aByteOrderMarkAnywhereElseIsNoPid() {
    assertThatThrownBy(() -> read("7\n\ufeff8\n"))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("invalid PID")
        .hasMessageContaining("line 2");
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
    assertThatThrownBy(() -> new TargetReader("standard input").read(endless, t -> {}))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("standard input line 1: longer than 64 characters");
  }

  /**
   * 100,000 PIDs on standard input, as {@code psql -Atc 'select pid ...' | pgkill -c -} may send:
   * each target reaches the sink while the input is still being read, so the reader holds one token
   * at a time whatever the length of the list.
   */
  @Test
  void hundredThousandPidsStreamThroughOneTokenAtATime() {
    int count = 100_000;
    AtomicLong served = new AtomicLong();
    Reader pids =
        new Reader() {
          private int next = 1;
          private String line = "";
          private int at;

          @Override
          public int read(char[] buffer, int offset, int length) {
            if (at == line.length()) {
              if (next > count) {
                return -1;
              }
              line = next++ + "\n";
              at = 0;
            }
            int n = Math.min(length, line.length() - at);
            line.getChars(at, at + n, buffer, offset);
            at += n;
            served.addAndGet(n);
            return n;
          }

          @Override
          public void close() {}
        };
    AtomicInteger seen = new AtomicInteger();
    AtomicLong servedAtFirstTarget = new AtomicLong(-1);

    new TargetReader("standard input")
        .read(
            pids,
            target -> {
              servedAtFirstTarget.compareAndSet(-1, served.get());
              assertThat(target.pid()).isEqualTo(seen.incrementAndGet());
            });

    assertThat(seen).hasValue(count);
    assertThat(servedAtFirstTarget.get()).isLessThan(10);
  }

  @Test
  void endlessCommentIsSkippedWithoutBeingKept() {
    // A comment is not a token: no length limit, and nothing of it is stored.
    assertThat(read("# " + "x".repeat(1_000_000) + "\n42\n")).containsExactly(Target.of(42));
  }

  // Properties (jqwik): standard input as bytes, decoded as the CLI decodes it.

  private static List<Target> readBytes(byte[] input) {
    List<Target> targets = new ArrayList<>();
    new TargetReader("standard input")
        .read(
            new BufferedReader(
                new InputStreamReader(new ByteArrayInputStream(input), StandardCharsets.UTF_8)),
            targets::add);
    return targets;
  }

  @Property(tries = 300)
  void validTokensAmongCommentsBlankLinesAndWhiteSpaceAreReadExactly(
      @ForAll("documents") List<Tuple.Tuple2<String, List<Target>>> pieces) {
    StringBuilder input = new StringBuilder();
    List<Target> expected = new ArrayList<>();
    for (var piece : pieces) {
      input.append(piece.get1());
      expected.addAll(piece.get2());
    }

    assertThat(readBytes(input.toString().getBytes(StandardCharsets.UTF_8)))
        .containsExactlyElementsOf(expected);
  }

  @Property(tries = 500)
  void anyBytesGiveTheTargetsOrOneUsageErrorNamingTheFirstBadLine(
      @ForAll("hostileInput") byte[] input) {
    Expected expected = Expected.of(new String(input, StandardCharsets.UTF_8));
    try {
      List<Target> targets = readBytes(input);
      assertThat(expected.badLine).as("no error for a bad token").isZero();
      assertThat(targets).containsExactlyElementsOf(expected.targets);
    } catch (UsageError e) {
      Hostile.assertOneLine(e.getMessage());
      // "... on standard input line 3: ..." or "invalid PID ... (standard input line 3)"
      assertThat(e.getMessage())
          .containsPattern("standard input line " + expected.badLine + "[:)]");
    }
  }

  /**
   * The reader's rules written the simple way, over the whole decoded text: lines split at {@code
   * \n}, a comment from a {@code #} that starts a token, tokens split at white space, a token bad
   * if it has a NUL, is over 64 characters, or does not parse.
   */
  private record Expected(List<Target> targets, int badLine) {
    static Expected of(String text) {
      List<Target> targets = new ArrayList<>();
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        for (String token : tokens(lines[i])) {
          if (token.indexOf('\0') >= 0 || token.length() > TargetReader.MAX_TOKEN) {
            return new Expected(targets, i + 1);
          }
          try {
            targets.add(Target.parse(token));
          } catch (UsageError e) {
            return new Expected(targets, i + 1);
          }
        }
      }
      return new Expected(targets, 0);
    }

    private static List<String> tokens(String line) {
      List<String> tokens = new ArrayList<>();
      StringBuilder token = new StringBuilder();
      for (char c : (line + " ").toCharArray()) {
        if (Character.isWhitespace(c)) {
          if (token.length() > 0) {
            tokens.add(token.toString());
            token.setLength(0);
          }
        } else if (c == '#' && token.length() == 0) {
          break;
        } else {
          token.append(c);
        }
      }
      return tokens;
    }
  }

  /** Pieces of input, each with the targets it holds. */
  @Provide
  Arbitrary<List<Tuple.Tuple2<String, List<Target>>>> documents() {
    Arbitrary<Tuple.Tuple2<String, List<Target>>> token =
        Arbitraries.integers()
            .between(1, Integer.MAX_VALUE)
            .flatMap(
                pid ->
                    Arbitraries.oneOf(
                        Arbitraries.just(Tuple.of(" " + pid + " ", List.of(Target.of(pid)))),
                        Arbitraries.just(
                            Tuple.of(
                                " " + pid + "@2026-11-25T20:30:54.123456Z\n",
                                List.of(Target.parse(pid + "@2026-11-25T20:30:54.123456Z"))))));
    Arbitrary<Tuple.Tuple2<String, List<Target>>> nothing =
        Arbitraries.oneOf(
                Arbitraries.strings().withChars(" \t\r\n\u000b\f\u001c\u2003\u3000").ofMaxLength(5),
                Arbitraries.strings()
                    .all()
                    .ofMaxLength(30)
                    .map(c -> "\n#" + c.replace('\n', ' ') + "\n"),
                Arbitraries.just("\n\n"))
            .map(text -> Tuple.of(text, List.<Target>of()));
    return Arbitraries.frequencyOf(Tuple.of(3, token), Tuple.of(2, nothing)).list().ofMaxSize(40);
  }

  /** Valid pieces and garbage bytes of every kind, concatenated. */
  @Provide
  Arbitrary<byte[]> hostileInput() {
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, Integer.MAX_VALUE).map(pid -> pid + ""),
            Arbitraries.of(
                " ",
                "\n",
                "\r\n",
                "\t",
                "#",
                "# comment\n",
                "@",
                "0",
                "-1",
                "\u0000",
                "2026-11-25T20:30:54.123456Z",
                "\u0085",
                "\u2028"),
            Arbitraries.strings().withChars("0123456789").ofMinLength(60).ofMaxLength(70),
            Hostile.text());
    Arbitrary<byte[]> bytes =
        Arbitraries.oneOf(
            text.map(t -> t.getBytes(StandardCharsets.UTF_8)),
            // Not UTF-8: a lone continuation byte, a truncated sequence, an encoded surrogate.
            Arbitraries.of(
                new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xc3},
                new byte[] {(byte) 0xe2, (byte) 0x82},
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0xff, (byte) 0xfe}),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(20));
    return bytes.list().ofMaxSize(30).map(TargetReaderTest::concat);
  }

  private static byte[] concat(List<byte[]> pieces) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    pieces.forEach(all::writeBytes);
    return all.toByteArray();
  }
}
