package dev.pgkill.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What the build knew of itself: pgkill's version and the git commit it was built from, written
 * into {@code build.properties} next to this class by the build (git, run by Maven), so that
 * nothing asks git, or the network, at run time.
 */
record BuildInfo(String version, String commit, boolean modified) {
  static final String RESOURCE = "build.properties";

  /** The build's own file; a class tree built without it (an IDE's) reads as unknown. */
  static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(
        nonBlank(properties.getProperty("version"), "(development build)"),
        nonBlank(properties.getProperty("commit"), "unknown"),
        Boolean.parseBoolean(properties.getProperty("modified")));
  }

  private static String nonBlank(String value, String otherwise) {
    return value == null || value.isBlank() ? otherwise : value;
  }
}
