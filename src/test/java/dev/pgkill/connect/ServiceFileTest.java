package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.UsageError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
}
