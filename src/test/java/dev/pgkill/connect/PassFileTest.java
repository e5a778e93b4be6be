package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Hostile;
import dev.pgkill.testing.Scratch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PassFileTest {
  private static final List<String> DB1 = List.of("db1", "5432", "sales", "alice");

  static Stream<Arguments> lines() {
    return Stream.of(
        Arguments.of("db1:5432:sales:alice:pw", DB1, "pw"),
        Arguments.of("*:*:*:*:pw", DB1, "pw"),
        Arguments.of("db1:*:*:alice:pw", DB1, "pw"),
        Arguments.of("db2:*:*:alice:pw", DB1, null),
        Arguments.of("db1:5433:sales:alice:pw", DB1, null),
        Arguments.of("db1:5432:sales:bob:pw", DB1, null),
        Arguments.of("db1:5432:postgres:alice:pw", DB1, null),
        Arguments.of("a\\:b:5432:sales:alice:pw", List.of("a:b", "5432", "sales", "alice"), "pw"),
        Arguments.of("*:*:*:*:p\\:w\\\\x", DB1, "p:w\\x"),
        Arguments.of("*:*:*:*:a:b", DB1, "a:b"),
        Arguments.of("\\*:*:*:*:pw", DB1, null),
        Arguments.of("\\*:*:*:*:pw", List.of("*", "5432", "sales", "alice"), "pw"),
        Arguments.of("db*:*:*:*:pw", DB1, null),
        Arguments.of("*:*:*:*:", DB1, ""),
        Arguments.of("# *:*:*:*:pw", DB1, null),
        Arguments.of("", DB1, null),
        Arguments.of("db1:5432:sales", DB1, null));
  }

  @ParameterizedTest
  @MethodSource("lines")
  void matchesAsLibpqDoes(String line, List<String> values, String expected) {
    assertThat(PassFile.match(line, values)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void firstMatchingLineWins(@TempDir Path home) throws IOException {
    Path file =
        write(home, "rw-------", "db2:*:*:*:other\n*:*:sales:alice:first\n*:*:*:*:second\n");
    List<String> warnings = new ArrayList<>();

    assertThat(new PassFile(file, warnings::add).find("db1", "5432", "sales", "alice"))
        .contains("first");
    assertThat(warnings).isEmpty();
  }

  @Test
  void fileOthersCanReadIsIgnoredWithAWarning(@TempDir Path home) throws IOException {
    Path file = write(home, "rw-r--r--", "*:*:*:*:pw\n");
    List<String> warnings = new ArrayList<>();

    assertThat(new PassFile(file, warnings::add).find("db1", "5432", "sales", "alice")).isEmpty();
    assertThat(warnings)
        .containsExactly(
            "password file \""
                + file
                + "\" has group or world access; permissions should be"
                + " u=rw (0600) or less: ignored");
  }

  @Test
  void groupWritableFileIsIgnoredToo(@TempDir Path home) throws IOException {
    Path file = write(home, "rw--w----", "*:*:*:*:pw\n");
    List<String> warnings = new ArrayList<>();

    assertThat(new PassFile(file, warnings::add).find("db1", "5432", "sales", "alice")).isEmpty();
    assertThat(warnings).hasSize(1);
  }

  @Test
  void missingFileIsSilentlyNoPassword(@TempDir Path home) {
    List<String> warnings = new ArrayList<>();

    assertThat(new PassFile(home.resolve(".pgpass"), warnings::add).find("h", "1", "d", "u"))
        .isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void directoryIsIgnoredWithAWarning(@TempDir Path home) {
    List<String> warnings = new ArrayList<>();

    assertThat(new PassFile(home, warnings::add).find("h", "1", "d", "u")).isEmpty();
    assertThat(warnings).singleElement().asString().contains("is not a plain file");
  }

  static Path write(Path directory, String permissions, String content) throws IOException {
    Path file = directory.resolve(".pgpass");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  // Properties (jqwik)

  private static final Scratch SCRATCH = new Scratch();

  @AfterContainer
  static void removeScratch() {
    SCRATCH.close();
  }

  /**
   * A field that matches only itself: libpq's escapes for backslash and colon, and an escape before
   * a lone {@code *} (else a wildcard) and a leading {@code #} (else a comment line).
   */
  private static String literal(String field) {
    String escaped = field.replace("\\", "\\\\").replace(":", "\\:");
    return field.equals("*") || field.startsWith("#") ? "\\" + escaped : escaped;
  }

  private static String line(List<String> values, String password) {
    return String.join(":", values.stream().map(PassFileTest::literal).toList())
        + ":"
        + literal(password);
  }

  @Property(tries = 300)
  void lineWrittenWithEscapesMatchesItsFourValuesAndGivesItsPassword(
      @ForAll("fields") List<String> values, @ForAll("fields") List<String> passwordParts) {
    String password = String.join(":", passwordParts);

    assertThat(PassFile.match(line(values, password), values)).contains(password);
  }

  @Property(tries = 300)
  void lineMatchesNoOtherValues(
      @ForAll("fields") List<String> values, @ForAll("fields") List<String> others) {
    assertThat(PassFile.match(line(values, "pw"), others).isPresent())
        .isEqualTo(values.equals(others));
  }

  @Property(tries = 300)
  void anyFileIsAPasswordOrNothingAndNeverAnException(@ForAll("files") byte[] content) {
    Path file = SCRATCH.write("pgpass", content);
    List<String> warnings = new ArrayList<>();

    Optional<String> password =
        new PassFile(file, warnings::add).find("db1", "5432", "sales", "alice");

    assertThat(password).isNotNull();
    warnings.forEach(Hostile::assertOneLine);
    assertThat(warnings).noneMatch(w -> w.contains("Exception"));
  }

  @Provide
  Arbitrary<List<String>> fields() {
    return Arbitraries.oneOf(
            Arbitraries.strings().withChars("ab*:\\#").ofMaxLength(4),
            Arbitraries.strings()
                .all()
                .ofMaxLength(8)
                .map(s -> s.replace("\n", "").replace("\r", "")))
        .list()
        .ofSize(4);
  }

  @Provide
  Arbitrary<byte[]> files() {
    Arbitrary<String> lines =
        Arbitraries.oneOf(
                Arbitraries.of(
                    "db1:5432:sales:alice:pw", "*:*:*:*:pw", "# comment", "", "db1:5432"),
                Hostile.near("db1:5432*\\#alice", 40))
            .list()
            .ofMaxSize(10)
            .map(l -> String.join("\n", l));
    return Arbitraries.oneOf(
        lines.map(l -> l.getBytes(StandardCharsets.UTF_8)),
        lines.map(l -> l.getBytes(StandardCharsets.ISO_8859_1)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
  }
}
