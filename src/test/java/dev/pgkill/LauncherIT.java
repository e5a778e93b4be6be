package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgkill.testing.DisabledIfServerVersionBelow;
import dev.pgkill.testing.PgkillProcess;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pgkill as a user runs it: a process, on the JDK running the tests. Whatever the launcher does
 * to start faster (the class-data archive and its training run), standard output carries only
 * pgkill's own output, standard error stays quiet, and a cache it cannot write changes nothing.
 */
@ExtendWith(PostgresExtension.class)
class LauncherIT {
  private final PostgresServer server;

  LauncherIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void firstRunTrainsTheArchiveAndLaterRunsPrintTheSame(@TempDir Path cache) throws Exception {
    Result first = launch(Map.of("XDG_CACHE_HOME", cache.toString()), "--help");
    Result second = launch(Map.of("XDG_CACHE_HOME", cache.toString()), "--help");

    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("Usage: pgkill");
    assertThat(first.err()).isEmpty();
    assertThat(second).isEqualTo(first);
    try (Stream<Path> archives = Files.list(cache.resolve("pgkill"))) {
      assertThat(archives.map(p -> p.getFileName().toString()))
          .singleElement()
          .satisfies(name -> assertThat(name).startsWith("pgkill-").endsWith(".jsa"));
    }
  }

  /**
   * On JDK 25 or newer (the JDK of the self-contained archive, {@code pgkill.jdk25}) the archive is
   * an AOT cache, and a later run loads its classes from it: the JVM's class+load log says where
   * each class came from.
   */
  @Test
  // The launcher and the JDK are the point, not the server: the newest majors only.
  @DisabledIfServerVersionBelow(18)
  void onJdk25TheFirstRunTrainsAnAotCacheThatLaterRunsLoadFrom(@TempDir Path cache)
      throws Exception {
    Path jdk = Path.of(System.getProperty("pgkill.jdk25", "/nonexistent"));
    assumeTrue(Files.isExecutable(jdk.resolve("bin/java")), "no JDK 25 at " + jdk);
    Path classes = cache.resolve("classes.log");
    Map<String, String> env =
        Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", jdk.toString());

    Result first = launch(env, "--help");
    Result second = launch(env, "--help");
    Map<String, String> logged = new HashMap<>(env);
    logged.put("JAVA_OPTS", "-Xlog:class+load:file=" + classes);
    Result third = launch(logged, "--help");

    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("Usage: pgkill");
    assertThat(first.err()).isEmpty();
    assertThat(second).isEqualTo(first);
    assertThat(third).isEqualTo(first);
    try (Stream<Path> archives = Files.list(cache.resolve("pgkill"))) {
      assertThat(archives.map(p -> p.getFileName().toString()))
          .singleElement()
          .satisfies(name -> assertThat(name).startsWith("pgkill-25").endsWith(".aot"));
    }
    List<String> loaded = Files.readAllLines(classes);
    assertThat(loaded.stream().filter(line -> line.contains("dev.pgkill.cli.Main ")))
        .singleElement()
        .asString()
        .contains("source: shared objects file");
    assertThat(loaded.stream().filter(line -> line.contains("source: shared objects file")))
        .hasSizeGreaterThan(loaded.size() * 9 / 10);
  }

  @Test
  void aCacheItCannotWriteChangesNothing(@TempDir Path parent) throws Exception {
    Path readOnly = Files.createDirectory(parent.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Result withReadOnlyCache = launch(Map.of("XDG_CACHE_HOME", readOnly.toString()), "--version");
      Result withoutHome = launch(Map.of(), "--version");

      for (Result result : List.of(withReadOnlyCache, withoutHome)) {
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("pgkill ").hasLineCount(3);
        assertThat(result.err()).isEmpty();
      }
    } finally {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void cancelThroughTheLauncherReportsOnStandardOutputOnly(@TempDir Path cache) throws Exception {
    int unused = server.unusedPid();
    Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
    launch(env, "--version"); // trains the archive: the run below uses it

    Result run = launch(env, server.args("--cancel", Integer.toString(unused)));

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("PID ")
        .contains(unused + " ", "not a PostgreSQL backend of this server")
        .endsWith("cancel: 0 of 1 target signalled, 1 not\n");
    assertThat(run.err()).isEmpty();
  }

  /** Runs bin/pgkill with only PATH, JAVA_HOME (the tests' JDK unless given) and these set. */
  private static Result launch(Map<String, String> variables, String... args) throws IOException {
    ProcessBuilder builder = PgkillProcess.builder(PgkillProcess.launcher(args));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> !name.equals("PATH"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.putAll(variables); // JAVA_HOME too, when given
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    PgkillProcess.Exited exited = PgkillProcess.run(builder, "");
    return new Result(exited.status(), exited.out(), exited.err());
  }

  private record Result(int status, String out, String err) {}
}
