package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The --query check before connecting. QueryRegexIT asks a real server about the same patterns:
 * whatever this check refuses, PostgreSQL refuses too.
 */
class QueryRegexTest {

  /** Surely wrong patterns and PostgreSQL's words for them (QueryRegexIT: it refuses them). */
  static final List<String> REFUSED =
      List.of(
          "(select => parentheses () not balanced",
          "a)b => parentheses () not balanced",
          "((a)|b => parentheses () not balanced",
          "[abc => brackets [] not balanced",
          "x[^]] [a => brackets [] not balanced",
          "[a\\] => brackets [] not balanced",
          "*.sql => quantifier operand invalid",
          "(+a) => quantifier operand invalid",
          "a|?b => quantifier operand invalid",
          "(?:*) => quantifier operand invalid",
          "{2}x => quantifier operand invalid",
          "a{2 => braces {} not balanced",
          "a{2, => braces {} not balanced",
          "a{2,x} => invalid repetition count(s)",
          "a{2 } => invalid repetition count(s)",
          "a{3,2} => invalid repetition count(s)",
          "a{256} => invalid repetition count(s)",
          "a{1,99999999999} => invalid repetition count(s)",
          "select \\ => invalid escape \\ sequence",
          "***:(a => parentheses () not balanced",
          "(?i)(a => parentheses () not balanced");

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> refused() {
    return REFUSED.stream()
        .map(line -> line.split(" => "))
        .map(parts -> org.junit.jupiter.params.provider.Arguments.of(parts[0], parts[1]));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("refused")
  void surelyWrongPatternIsAUsageErrorInPostgresqlsWords(String pattern, String mistake) {
    assertThatThrownBy(() -> QueryRegex.check(pattern))
        .isInstanceOf(UsageError.class)
        .hasMessage(
            "invalid --query regular expression " + SafeText.quoted(pattern) + ": " + mistake);
  }

  /** Patterns PostgreSQL accepts (QueryRegexIT checks that it does). */
  static final List<String> VALID =
      List.of(
          "^select .* from big_table",
          "\\mlock\\M",
          "\\yvacuum\\y",
          "[[:<:]]pg_[a-z]+[[:>:]]",
          "[]a]",
          "[^]]",
          "[[:alpha:]_]+",
          "a{,2}",
          "{x",
          "a{2}?",
          "a{2,}",
          "a{0,255}",
          "a*?b+?c??",
          "(?=select)",
          "(?!x)y",
          "(?<=a)b",
          "(?<!a)b",
          "(?:a|b)*",
          "(?#a comment)x",
          "()",
          "a||b",
          "\\(",
          "\\[",
          "[\\]]",
          "***=((*[",
          "(?b)\\(a\\)",
          "(?q)((",
          "(?x) a ( b ) # one ) too many )",
          "(?i)SELECT",
          "***:(?i)x",
          "[[.space.]]",
          "[[=a=]]",
          "\\d+\\.\\d*",
          "$^",
          "a{1,2}b{3}?",
          "[(){}*+?|]");

  static List<String> valid() {
    return VALID;
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("valid")
  void validPostgresqlPatternIsLeftToTheServer(String pattern) {
    assertThat(QueryRegex.mistake(pattern)).isNull();
  }

  @Property(tries = 2000)
  void validPatternIsNeverRefused(@ForAll("validPatterns") String pattern) {
    assertThat(QueryRegex.mistake(pattern)).isNull();
  }

  @Property(tries = 2000)
  void anyPatternIsEitherLeftToTheServerOrAOneLineUsageError(
      @ForAll("anyPatterns") String pattern) {
    try {
      QueryRegex.check(pattern);
    } catch (UsageError e) {
      assertThat(e.getMessage())
          .startsWith("invalid --query regular expression ")
          .doesNotContain("\n");
    }
  }

  @Provide
  Arbitrary<String> validPatterns() {
    return patterns();
  }

  @Provide
  Arbitrary<String> anyPatterns() {
    return anything();
  }

  /**
   * Patterns PostgreSQL accepts, built from its ARE grammar: atoms (escapes, constraints, bracket
   * expressions), quantifiers and bounds, groups, lookaround, alternation, and the prefixes.
   */
  static Arbitrary<String> patterns() {
    Arbitrary<String> body = sequence(2).withoutEdgeCases();
    return Arbitraries.oneOf(
        body,
        body.map(p -> "(?i)" + p),
        body.map(p -> "***:" + p),
        body.map(p -> "(?x)" + p.replace(" ", "\\ ") + " # note"));
  }

  private static Arbitrary<String> sequence(int depth) {
    Arbitrary<String> branch =
        piece(depth).list().ofMinSize(1).ofMaxSize(3).map(p -> String.join("", p));
    return branch.list().ofMinSize(1).ofMaxSize(2).map(b -> String.join("|", b));
  }

  private static Arbitrary<String> piece(int depth) {
    Arbitrary<String> quantified =
        Arbitraries.oneOf(atom(depth), group(depth)).flatMap(a -> quantifier().map(q -> a + q));
    Arbitrary<String> constraint =
        Arbitraries.of("^", "$", "\\m", "\\M", "\\y", "\\Y", "\\A", "\\Z", "[[:<:]]", "[[:>:]]");
    return depth <= 0
        ? Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, atom(0).flatMap(a -> quantifier().map(q -> a + q))),
            net.jqwik.api.Tuple.of(1, constraint))
        : Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, quantified),
            net.jqwik.api.Tuple.of(1, constraint),
            net.jqwik.api.Tuple.of(1, lookaround(depth)));
  }

  private static Arbitrary<String> atom(int depth) {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("abcxyz019 _-,:=!<>}]").ofMinLength(1).ofMaxLength(3),
        Arbitraries.of(
            ".", "\\d", "\\s", "\\w", "\\D", "\\.", "\\(", "\\)", "\\[", "\\{", "\\*", "\\\\",
            "\\|", "\\+", "\\?", "\\t", "\\n", "\\x41", "{x", "a{,2}"),
        Arbitraries.of(
            "[abc]",
            "[^a-z]",
            "[]a]",
            "[^]]",
            "[a-]",
            "[[:alpha:]_]",
            "[[:digit:][:space:]]",
            "[[.space.]]",
            "[[=a=]]",
            "[\\]]",
            "[\\d_]",
            "[(){}*+?|]"));
  }

  private static Arbitrary<String> group(int depth) {
    if (depth <= 0) {
      return atom(0);
    }
    return Arbitraries.of("(", "(?:")
        .flatMap(open -> sequence(depth - 1).map(inner -> open + inner + ")"));
  }

  private static Arbitrary<String> lookaround(int depth) {
    return Arbitraries.of("(?=", "(?!", "(?<=", "(?<!")
        .flatMap(open -> sequence(depth - 1).map(inner -> open + inner + ")"));
  }

  private static Arbitrary<String> quantifier() {
    Arbitrary<String> bound =
        Arbitraries.integers()
            .between(0, 10)
            .flatMap(
                low ->
                    Arbitraries.oneOf(
                        Arbitraries.just("{" + low + "}"),
                        Arbitraries.just("{" + low + ",}"),
                        Arbitraries.integers()
                            .between(low, 10)
                            .map(high -> "{" + low + "," + high + "}")));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just("")),
        net.jqwik.api.Tuple.of(3, Arbitraries.of("*", "+", "?", "*?", "+?", "??")),
        net.jqwik.api.Tuple.of(1, bound.flatMap(b -> Arbitraries.of(b, b + "?"))));
  }

  /** Any short string of the characters that mean something in a pattern, and a few others. */
  static Arbitrary<String> anything() {
    return Arbitraries.strings().withChars("()[]{}|*+?\\^$.:=!<>#,^-ax1 ").ofMaxLength(10);
  }
}
