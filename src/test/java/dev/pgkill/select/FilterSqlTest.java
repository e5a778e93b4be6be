package dev.pgkill.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterSqlTest {
  /** The wildcards of both languages, the escape, a line break, and letters. */
  private static final String ALPHABET = "ab*?%_\\\n";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "report-*     | report-%",
        "job?         | job_",
        "100%         | 100\\%",
        "my_app       | my\\_app",
        "a\\b         | a\\\\b",
        "*            | %",
      })
  void globBecomesALikePatternWithEverythingButTheWildcardsLiteral(String glob, String like) {
    assertThat(Globs.like(glob)).isEqualTo(like);
  }

  // Properties (jqwik): the pattern is checked by matching, against two references written here.

  @Property(tries = 1000)
  void likePatternMatchesExactlyWhatTheGlobMatches(
      @ForAll("globsAndNames") Tuple2<String, String> globAndName) {
    String glob = globAndName.get1();
    String name = globAndName.get2();
    assertThat(likeMatches(Globs.like(glob), name))
        .as("%s as LIKE %s against %s", glob, Globs.like(glob), name)
        .isEqualTo(globMatches(glob, name));
  }

  @Property(tries = 300)
  void globMatchesItselfAndTheLikePatternNeverEndsInALoneEscape(@ForAll("globs") String glob) {
    // PostgreSQL refuses a LIKE pattern ending in the escape character; likeMatches does too.
    assertThat(likeMatches(Globs.like(glob), glob)).isTrue();
  }

  /** Shell globbing: {@code *} any run, {@code ?} one character, everything else itself. */
  private static boolean globMatches(String glob, String name) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(name).matches();
  }

  /** PostgreSQL's LIKE with its default escape {@code \}: {@code %} any run, {@code _} one. */
  private static boolean likeMatches(String like, String name) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < like.length(); i++) {
      char c = like.charAt(i);
      if (c == '\\') {
        if (++i == like.length()) {
          throw new AssertionError("LIKE pattern must not end with escape character: " + like);
        }
        regex.append(Pattern.quote(String.valueOf(like.charAt(i))));
      } else {
        regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(name).matches();
  }

  @Provide
  Arbitrary<String> globs() {
    return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(8);
  }

  /** A glob with a name: any name, or one the glob was meant to match (wildcards filled in). */
  @Provide
  Arbitrary<Tuple2<String, String>> globsAndNames() {
    Arbitrary<String> fill = Arbitraries.strings().withChars(ALPHABET).ofMaxLength(3);
    return globs()
        .flatMap(
            glob ->
                Arbitraries.oneOf(
                        Arbitraries.strings().withChars(ALPHABET).ofMaxLength(8),
                        fill.list().ofSize(glob.length()).map(fills -> filledIn(glob, fills)))
                    .map(name -> Tuple.of(glob, name)));
  }

  private static String filledIn(String glob, java.util.List<String> fills) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      String fill = fills.get(i);
      name.append(
          c == '*'
              ? fill
              : c == '?' ? (fill.isEmpty() ? "x" : fill.substring(0, 1)) : String.valueOf(c));
    }
    return name.toString();
  }
}
