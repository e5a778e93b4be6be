package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileTest {
  @TempDir Path directory;

  @Test
  void appendsWholeLinesToWhatIsThereAndCreatesTheFileForItsOwnerAndGroupOnly() throws Exception {
    Path path = directory.resolve("audit.log");
    try (AuditFile file = AuditFile.open(path)) {
      file.append("{\"n\":1}");
    }
    try (AuditFile file = AuditFile.open(path)) {
      file.append("{\"n\":2}");
    }

    assertThat(Files.readString(path)).isEqualTo("{\"n\":1}\n{\"n\":2}\n");
    assertThat(Files.getPosixFilePermissions(path))
        .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
        .doesNotContain(
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);
  }

  @Test
  void reopenAfterLogrotateMovedTheFileWritesToANewFileAtThePath() throws Exception {
    Path path = directory.resolve("audit.log");
    Path rotated = directory.resolve("audit.log.1");
    try (AuditFile file = AuditFile.open(path)) {
      file.append("before");
      Files.move(path, rotated);
      file.append("still to the moved file, until told");
      file.reopen();
      file.append("after");
    }

    assertThat(Files.readString(rotated))
        .isEqualTo("before\nstill to the moved file, until told\n");
    assertThat(Files.readString(path)).isEqualTo("after\n");
  }
}
