package dev.pgkill.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private directory for property tests, which get no {@code @TempDir}: jqwik runs them, and it
 * knows nothing of Jupiter's extensions. Closed (deleted) by the test class when it is done.
 */
public final class Scratch implements AutoCloseable {
  private final Path directory;

  public Scratch() {
    try {
      directory = Files.createTempDirectory("pgkill-properties");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path directory() {
    return directory;
  }

  /** Writes a file only its owner may read, as a password or service file should be. */
  public Path write(String name, byte[] content) {
    try {
      Path file = Files.write(directory.resolve(name), content);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
