package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgkill.testing.BashCompletion;
import dev.pgkill.testing.PgkillProcess;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Victim;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * archive, usr/bin/pgkill of the .deb, bin/pgkill of the self-contained archive, separated by the
 * path separator). Each must run from there, through a symbolic link too, find its libraries,
 * cancel a real query, and bring a man page that renders without a warning and a bash completion
 * that completes. The self-contained one (the one with a {@code runtime/} next to its {@code bin/})
 * runs with no Java on PATH and no JAVA_HOME, on its own runtime and AOT cache. Without the
 * property (an everyday {@code mvn verify}, which builds no package) the class is skipped.
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

  static Stream<Path> selfContainedLaunchers() {
    return launchers().filter(PackagesIT::selfContained);
  }

  static Stream<Path> launchersOnAJdk() {
    return launchers().filter(launcher -> !selfContained(launcher));
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void versionNamesThisRelease(Path launcher, @TempDir Path scratch) throws Exception {
    Result run = launch(launcher, scratch, "--version");

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

    Result run = launch(link, scratch, "--help");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Usage: pgkill").contains("--terminate");
    assertThat(run.err()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void cancelsARealQuery(Path launcher, @TempDir Path scratch) throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Result run =
          launch(launcher, scratch, server.args("--cancel", Integer.toString(victim.pid())));

      assertThat(run.status()).as(run.err()).isZero();
      assertThat(victim.failure().getSQLState()).isEqualTo("57014");
      assertThat(run.out()).endsWith("cancel: 1 of 1 target signalled\n");
      assertThat(run.err()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("selfContainedLaunchers")
  void selfContainedUsesItsOwnRuntimeAndCacheAndWritesNothing(Path launcher, @TempDir Path scratch)
      throws Exception {
    // A JAVA_HOME and a java on PATH that fail if run, and -XX:AOTMode=on, with which the JVM
    // refuses to start when it cannot use the cache the launcher names.
    Path decoy = Files.createDirectories(scratch.resolve("decoy/bin"));
    Files.writeString(decoy.resolve("java"), "#!/bin/sh\necho decoy java >&2\nexit 97\n");
    Files.setPosixFilePermissions(
        decoy.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path tools = tools(scratch);
    Files.createSymbolicLink(tools.resolve("java"), decoy.resolve("java"));
    Map<String, String> env =
        Map.of(
            "JAVA_HOME",
            decoy.getParent().toString(),
            "JAVA_OPTS",
            "-XX:AOTMode=on",
            "PATH",
            decoy + File.pathSeparator + tools);

    Result run = launch(launcher, scratch, env, "--version");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("\nJava " + runtimeVersion(launcher));
    assertThat(scratch.resolve("home")).isEmptyDirectory();
    assertThat(scratch.resolve("cache")).isEmptyDirectory();
  }

  @ParameterizedTest
  @MethodSource("selfContainedLaunchers")
  void selfContainedRunsWithoutACacheItCannotUse(Path launcher, @TempDir Path scratch)
      throws Exception {
    // A copy of the installation whose cache is not one: the runtime and the jars linked in.
    Path home = launcher.getParent().getParent();
    Path copy = Files.createDirectories(scratch.resolve("copy"));
    Files.createDirectories(copy.resolve("bin"));
    Files.copy(launcher, copy.resolve("bin/pgkill"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createSymbolicLink(copy.resolve("runtime"), home.resolve("runtime"));
    Files.createDirectories(copy.resolve("lib"));
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).toList()) {
        Files.createSymbolicLink(copy.resolve("lib").resolve(jar.getFileName()), jar);
      }
    }
    Files.writeString(copy.resolve("lib/pgkill.aot"), "not an AOT cache\n");

    Result run = launch(copy.resolve("bin/pgkill"), scratch, "--version");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("pgkill " + System.getProperty("project.version") + " (");
  }

  /**
   * The archive's and the .deb's launcher on JDK 25 ({@code pgkill.jdk25}, the JDK the build links
   * the self-contained runtime from): the first run trains an AOT cache, and a later cancel loads
   * nearly all its classes from it, as the JVM's class+load log says.
   */
  @ParameterizedTest
  @MethodSource("launchersOnAJdk")
  void onJdk25TheInstalledLauncherRunsFromAnAotCache(Path launcher, @TempDir Path scratch)
      throws Exception {
    Path jdk = Path.of(System.getProperty("pgkill.jdk25", "/nonexistent"));
    assumeTrue(Files.isExecutable(jdk.resolve("bin/java")), "no JDK 25 at " + jdk);
    Path classes = scratch.resolve("classes.log");
    Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "JAVA_HOME", jdk.toString());
    Map<String, String> logged = new HashMap<>(env);
    logged.put("JAVA_OPTS", "-Xlog:class+load:file=" + classes);

    Result first = launch(launcher, scratch, env, "--version");
    Result cancel = launch(launcher, scratch, logged, server.args("--cancel", "1"));

    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(first.out()).contains("\nJava 25");
    assertThat(cancel.status()).as(cancel.err()).isEqualTo(1);
    assertThat(cancel.out()).contains("not a PostgreSQL backend of this server");
    try (Stream<Path> archives = Files.list(scratch.resolve("cache/pgkill"))) {
      assertThat(archives.map(p -> p.getFileName().toString()))
          .singleElement()
          .satisfies(name -> assertThat(name).startsWith("pgkill-25").endsWith(".aot"));
    }
    List<String> loaded = Files.readAllLines(classes);
    assertThat(loaded.stream().filter(line -> line.contains("source: shared objects file")))
        .hasSizeGreaterThan(loaded.size() * 9 / 10);
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

  /**
   * Runs the launcher as a user would, its cache and home in {@code scratch}: the packages that
   * need a Java with PATH and JAVA_HOME (the tests' JDK); the self-contained one with neither: a
   * PATH holding only the tools its launcher uses, and no java.
   */
  private static Result launch(Path launcher, Path scratch, String... args) throws IOException {
    if (!selfContained(launcher)) {
      return launch(
          launcher,
          scratch,
          Map.of("PATH", System.getenv("PATH"), "JAVA_HOME", System.getProperty("java.home")),
          args);
    }
    Path tools = tools(scratch);
    assertThat(tools.resolve("java")).doesNotExist();
    return launch(launcher, scratch, Map.of("PATH", tools.toString()), args);
  }

  /** A directory with only the tools the launcher runs: links to the tests' dirname, readlink. */
  private static Path tools(Path scratch) throws IOException {
    Path tools = Files.createDirectories(scratch.resolve("tools"));
    for (String tool : List.of("dirname", "readlink")) {
      Files.createSymbolicLink(tools.resolve(tool), onPath(tool));
    }
    return tools;
  }

  /** Runs the launcher with only {@code env}, HOME and XDG_CACHE_HOME (in scratch), no input. */
  private static Result launch(Path launcher, Path scratch, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = PgkillProcess.builder(command);
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(env);
    environment.put("HOME", Files.createDirectories(scratch.resolve("home")).toString());
    environment.put("XDG_CACHE_HOME", Files.createDirectories(scratch.resolve("cache")).toString());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    PgkillProcess.Exited exited = PgkillProcess.run(builder, "");
    return new Result(exited.status(), exited.out(), exited.err());
  }

  /** The self-contained archive's launcher: a runtime next to its bin/. */
  private static boolean selfContained(Path launcher) {
    try {
      return Files.isDirectory(launcher.toRealPath().getParent().resolveSibling("runtime"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Java version in the self-contained archive's runtime/release. */
  private static String runtimeVersion(Path launcher) throws IOException {
    Path release = launcher.toRealPath().getParent().resolveSibling("runtime/release");
    return Files.readAllLines(release).stream()
        .filter(line -> line.startsWith("JAVA_VERSION="))
        .map(line -> line.substring(line.indexOf('=') + 1).replace("\"", ""))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no JAVA_VERSION in " + release));
  }

  /** The executable {@code tool} on the tests' PATH. */
  private static Path onPath(String tool) {
    return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
        .map(directory -> Path.of(directory, tool))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new AssertionError(tool + " is not on PATH"));
  }

  private record Result(int status, String out, String err) {}
}
