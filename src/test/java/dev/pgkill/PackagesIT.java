package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.BashCompletion;
import dev.pgkill.testing.PgkillProcess;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Victim;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packages as a user installs them: .ci/run unpacks each (tar -x, dpkg-deb -x) into a scratch
 * directory and names the installed launchers in {@code pgkill.installed} (bin/pgkill of the
 * archive, usr/bin/pgkill of the .deb, separated by the path separator). Each must run from there,
 * through a symbolic link too, find its libraries, cancel a real query, and bring a man page that
 * renders without a warning and a bash completion that completes. Without the property (an everyday
 * {@code mvn verify}, which builds no package) the class is skipped.
 */
@ExtendWith(PostgresExtension.class)
@EnabledIfSystemProperty(named = "pgkill.installed", matches = ".+")
class PackagesIT {
  private final PostgresServer server;

  PackagesIT(PostgresServer server) {
    this.server = server;
  }

  static Stream<Path> launchers() {
    return Arrays.stream(System.getProperty("pgkill.installed").split(File.pathSeparator))
        .map(Path::of);
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void versionNamesThisRelease(Path launcher, @TempDir Path cache) throws Exception {
    Result run = launch(launcher, cache, "--version");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out().lines())
        .hasSize(3)
        .first()
        .asString()
        .startsWith("pgkill " + System.getProperty("project.version") + " (commit ");
    assertThat(run.out()).contains("PostgreSQL JDBC driver 42.7.14");
    assertThat(run.err()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void helpRunsThroughASymbolicLink(Path launcher, @TempDir Path scratch) throws Exception {
    Path link = Files.createSymbolicLink(scratch.resolve("pgkill"), launcher);

    Result run = launch(link, scratch.resolve("cache"), "--help");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Usage: pgkill").contains("--terminate");
    assertThat(run.err()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void cancelsARealQuery(Path launcher, @TempDir Path cache) throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Result run = launch(launcher, cache, server.args("--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(run.out()).endsWith("cancel: 1 of 1 target signalled\n");
      assertThat(run.err()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void manPageRendersWithoutAWarning(Path launcher) throws Exception {
    Path page = installed(launcher, "share/man/man1", "pgkill.1", "pgkill.1.gz");
    ProcessBuilder man = new ProcessBuilder("man", "--warnings", "-l", page.toString());
    man.environment().put("MANWIDTH", "80");

    PgkillProcess.Exited rendered = PgkillProcess.run(man, "");

    assertThat(rendered.status()).as(rendered.err()).isZero();
    assertThat(rendered.err()).isEmpty();
    assertThat(rendered.out()).contains("NAME", "pgkill", "SYNOPSIS", "--terminate");
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void bashCompletionCompletesOptionsAndStates(Path launcher) throws Exception {
    Path script = installed(launcher, "share/bash-completion/completions", "pgkill");

    assertThat(BashCompletion.offers(script, "pgkill", "--ter")).containsExactly("--terminate");
    assertThat(BashCompletion.offers(script, "pgkill", "--state", ""))
        .contains("active", "idle", "idle-in-transaction");
  }

  /** The first of {@code names} in the installation's {@code share} directory. */
  private static Path installed(Path launcher, String directory, String... names) {
    Path share = launcher.getParent().resolveSibling(directory);
    return Stream.of(names)
        .map(share::resolve)
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(() -> new AssertionError("none of " + List.of(names) + " in " + share));
  }

  /** Runs the launcher with only PATH, JAVA_HOME (the tests' JDK) and its own cache. */
  private static Result launch(Path launcher, Path cache, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = PgkillProcess.builder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> !name.equals("PATH"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("XDG_CACHE_HOME", cache.toString());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    PgkillProcess.Exited exited = PgkillProcess.run(builder, "");
    return new Result(exited.status(), exited.out(), exited.err());
  }

  private record Result(int status, String out, String err) {}
}
