package dev.pgkill.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.text.UsageError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * What a script may feed pgkill when things go wrong, for the property tests of every parser: any
 * UTF-16 text (NUL, control characters, line separators, lone surrogates), text close to what the
 * parser expects, and text far longer than any honest input.
 */
public final class Hostile {
  /** Characters that break lines, terminals or C strings, and the one a bad UTF-8 byte becomes. */
  public static final String NASTY =
      "\0\n\r\t\u000b\f\u001b\u007f\u0085\u00a0\u2028\u2029\ufffd\ud800\udc00";

  private Hostile() {}

  /** Any text at all, mostly short, sometimes huge. */
  public static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().all().ofMaxLength(30)),
        Tuple.of(4, Arbitraries.strings().withCharRange('\0', '\u00ff').ofMaxLength(30)),
        Tuple.of(1, huge(Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4))));
  }

  /** Text near what a parser expects: its own alphabet, with nasty characters mixed in. */
  public static Arbitrary<String> near(String alphabet, int maxLength) {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.strings().withChars(alphabet).ofMaxLength(maxLength)),
        Tuple.of(3, Arbitraries.strings().withChars(alphabet + NASTY).ofMaxLength(maxLength)),
        Tuple.of(1, huge(Arbitraries.strings().withChars(alphabet).ofMinLength(1).ofMaxLength(3))));
  }

  /** Some piece repeated to 10,000 to 100,000 characters: longer than any honest value. */
  public static Arbitrary<String> huge(Arbitrary<String> piece) {
    return piece.flatMap(
        p ->
            Arbitraries.integers().between(10_000, 100_000).map(n -> p.repeat(n / p.length() + 1)));
  }

  /**
   * Runs a parser on hostile input: it either returns, or throws a {@link UsageError} whose message
   * is one printable line. Anything else it throws fails the property.
   */
  public static <T> T parseOrUsageError(java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (UsageError e) {
      assertOneLine(e.getMessage());
      return null;
    }
  }

  /** One line that cannot move a terminal's cursor: no line break, no control character. */
  public static void assertOneLine(String message) {
    assertThat(message).isNotBlank().doesNotContainPattern("\\R");
    assertThat(message.chars().filter(Character::isISOControl).toArray())
        .as("control characters in %s", message)
        .isEmpty();
  }
}
