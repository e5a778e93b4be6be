package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.testing.Hostile;
import dev.pgkill.testing.Scratch;
import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceFileTest {
  @TempDir Path directory;

  private Path write(String content) throws IOException {
    return Files.writeString(directory.resolve("pg_service.conf"), content);
  }

  @Test
  void entryGivesEveryLibpqKeywordIncludingOnesPgjdbcDoesNotKnow() throws IOException {
    Path file =
        write(
            "# the reporting replica\n"
                + "[other]\nhost=elsewhere\n\n"
                + "[reports]\n"
                + "  host = db1.example.com\n"
                + "port=5433\n"
                + "application_name=nightly report\n"
                + "sslmode=verify-full\n"
                + "# a comment inside\n"
                + "keepalives_idle=30\n"
                + "[later]\nhost=x\n");

    assertThat(new ServiceFile(file).find("reports"))
        .contains(
            Map.of(
                "host", "db1.example.com",
                "port", "5433",
                "application_name", "nightly report",
                "sslmode", "verify-full",
                "keepalives_idle", "30"));
  }

  @Test
  void firstValueOfAKeywordWins() throws IOException {
    Path file = write("[s]\nport=1\nport=2\n");

    assertThat(new ServiceFile(file).find("s")).contains(Map.of("port", "1"));
  }

  @Test
  void unknownServiceOrMissingFileIsEmpty() throws IOException {
    Path file = write("[s]\nport=1\n");

    assertThat(new ServiceFile(file).find("t")).isEmpty();
    assertThat(new ServiceFile(directory.resolve("none.conf")).find("s")).isEmpty();
  }

  @Test
  void unknownKeywordIsAnErrorNamingFileAndLine() throws IOException {
    Path file = write("[s]\nhost=h\nhots=h\n");

    assertThatThrownBy(() -> new ServiceFile(file).find("s"))
        .isInstanceOf(UsageError.class)
        .hasMessage("service file \"" + file + "\", line 3: invalid connection option \"hots\"");
  }

  @Test
  void nestedServiceIsAnError() throws IOException {
    Path file = write("[s]\nservice=t\n");

    assertThatThrownBy(() -> new ServiceFile(file).find("s"))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("line 2: nested service specifications are not supported");
  }

  @Test
  void lineWithoutEqualsSignIsAnError() throws IOException {
    Path file = write("[s]\nhost h\n");

    assertThatThrownBy(() -> new ServiceFile(file).find("s"))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("line 2: syntax error (expected keyword=value)");
  }

  @Test
  void errorsInOtherEntriesDoNotMatter() throws IOException {
    Path file = write("[broken]\nnonsense=1\n[s]\nport=1\n");

    assertThat(new ServiceFile(file).find("s")).contains(Map.of("port", "1"));
  }

  // Properties (jqwik)

  private static final Scratch SCRATCH = new Scratch();

  @AfterContainer
  static void removeScratch() {
    SCRATCH.close();
  }

  /** One {@code [name]} section: its lines in order (a keyword may come twice). */
  record Section(String name, List<Map.Entry<String, String>> lines) {}

  @Property(tries = 200)
  void everyEntryOfAGeneratedFileIsFoundWithItsFirstValues(
      @ForAll("sections") List<Section> sections, @ForAll("decorations") List<String> decorations) {
    StringBuilder text = new StringBuilder();
    int d = 0;
    for (Section section : sections) {
      text.append(decorations.get(d++ % decorations.size()))
          .append('[')
          .append(section.name())
          .append("]\n");
      for (Map.Entry<String, String> line : section.lines()) {
        String space = decorations.get(d++ % decorations.size()).isEmpty() ? "" : " \t";
        text.append(space)
            .append(line.getKey())
            .append(space)
            .append('=')
            .append(space)
            .append(line.getValue())
            .append(space)
            .append('\n');
      }
    }
    Path file = SCRATCH.write("pg_service.conf", text.toString().getBytes(StandardCharsets.UTF_8));

    for (Section section : sections) {
      Section first =
          sections.stream().filter(s -> s.name().equals(section.name())).findFirst().get();
      Map<String, String> expected = new LinkedHashMap<>();
      first.lines().forEach(line -> expected.putIfAbsent(line.getKey(), line.getValue()));
      assertThat(new ServiceFile(file).find(section.name())).as(text.toString()).contains(expected);
    }
    assertThat(new ServiceFile(file).find("no-such-service")).isEmpty();
  }

  @Property(tries = 300)
  void anyFileIsAnEntryNothingOrAOneLineUsageError(
      @ForAll("files") byte[] content, @ForAll("names") String service) {
    Path file = SCRATCH.write("pg_service.conf", content);

    Optional<Map<String, String>> entry =
        Hostile.parseOrUsageError(() -> new ServiceFile(file).find(service));
    if (entry != null && entry.isPresent()) {
      assertThat(entry.get().keySet()).allMatch(Keywords::known).doesNotContain("service");
    }
  }

  @Provide
  Arbitrary<List<Section>> sections() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc 1=#[]'\\").ofMaxLength(10),
                Arbitraries.strings().withCharRange('!', '\ud7ff').ofMaxLength(10))
            .map(String::strip);
    Arbitrary<Map.Entry<String, String>> line =
        Combinators.combine(
                Arbitraries.of(List.copyOf(Keywords.ALL)).filter(k -> !k.equals("service")), value)
            .as(Map::entry);
    Arbitrary<String> name =
        Arbitraries.strings().withChars("abcxyz019_-").ofMinLength(1).ofMaxLength(6);
    return Combinators.combine(name, line.list().ofMaxSize(6))
        .as(Section::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<List<String>> decorations() {
    return Arbitraries.of("", "# a comment\n", "\n", "  \n").list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(Arbitraries.of("a", "reports", ""), Hostile.text());
  }

  @Provide
  Arbitrary<byte[]> files() {
    Arbitrary<String> lines =
        Arbitraries.oneOf(
                Arbitraries.of(
                    "[a]",
                    "[reports]",
                    "host=db1",
                    "service=x",
                    "bogus=1",
                    "# c",
                    "",
                    "[",
                    "=",
                    "port"),
                Hostile.near("[]=#ahost \\", 30))
            .list()
            .ofMaxSize(12)
            .map(l -> String.join("\n", l));
    return Arbitraries.oneOf(
        lines.map(l -> l.getBytes(StandardCharsets.UTF_8)),
        lines.map(l -> l.getBytes(StandardCharsets.ISO_8859_1)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
  }
}
