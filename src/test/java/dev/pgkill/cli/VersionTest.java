package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --version} says what a bug report needs: pgkill's version and commit as the build recorded
 * them, the Java runtime and the PostgreSQL JDBC driver it runs on.
 */
class VersionTest {
  @Test
  void versionNamesTheBuildTheRuntimeAndTheDriver() throws Exception {
    Run run = Run.of("--version");

    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines())
        .containsExactly(
            "pgkill " + System.getProperty("project.version") + " (commit " + gitCommit() + ")",
            "Java "
                + Runtime.version()
                + " ("
                + System.getProperty("java.vm.vendor")
                + ", "
                + System.getProperty("java.vm.name")
                + ")",
            "PostgreSQL JDBC driver 42.7.14");
  }

  /** The checkout's commit as git itself abbreviates it, marked if the tree has changes. */
  private static String gitCommit() throws IOException, InterruptedException {
    String commit = git("rev-parse", "--short=12", "HEAD");
    String changes = git("status", "--porcelain", "--untracked-files=no");
    return changes.isEmpty() ? commit : commit + ", modified";
  }

  private static String git(String... args) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("git");
    builder.command().addAll(java.util.List.of(args));
    Process git = builder.redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(git.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
