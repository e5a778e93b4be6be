package dev.pgkill.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * pgkill as a user starts it, a real process: the built jar on the JDK running the tests, or
 * bin/pgkill. Its output and error are read while it runs, so a full pipe never stalls it.
 */
public final class PgkillProcess implements AutoCloseable {
  /** The jar {@code mvn package} built; failsafe names it, an IDE falls back to target/. */
  public static final Path JAR =
      Path.of(System.getProperty("pgkill.jar", "target/pgkill.jar")).toAbsolutePath();

  /** The launcher script of the checkout. */
  public static final Path LAUNCHER =
      Path.of(System.getProperty("pgkill.launcher", "bin/pgkill")).toAbsolutePath();

  /** The java of the JDK running the tests. */
  public static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /** What a finished pgkill left: its exit status, standard output and standard error. */
  public record Exited(int status, String out, String err) {}

  private final List<String> command;
  private final Process process;
  private final CompletableFuture<String> out;
  private final CompletableFuture<String> err;

  private PgkillProcess(List<String> command, Process process) {
    this.command = command;
    this.process = process;
    this.out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    this.err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
  }

  /** {@code java -jar pgkill.jar args...} */
  public static List<String> jar(String... args) {
    List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** {@code bin/pgkill args...} */
  public static List<String> launcher(String... args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * A builder for this command whose environment has no PG* variable of the test's own, so that
   * pgkill reads only what a test gives it.
   */
  public static ProcessBuilder builder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
    return builder;
  }

  /**
   * Runs the command to its end, with {@code stdin} on a pipe (unless the builder redirects it).
   */
  public static Exited run(ProcessBuilder builder, String stdin) throws IOException {
    try (PgkillProcess started = start(builder, stdin)) {
      return started.awaitExit(120, TimeUnit.SECONDS);
    }
  }

  /** Starts the command, writes {@code stdin} (unless the builder redirects it) and closes it. */
  public static PgkillProcess start(ProcessBuilder builder, String stdin) throws IOException {
    PgkillProcess started = new PgkillProcess(List.copyOf(builder.command()), builder.start());
    if (builder.redirectInput() == ProcessBuilder.Redirect.PIPE) {
      try (OutputStream in = started.process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    return started;
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for the process to end, or fails the test (and kills it) after {@code timeout}. */
  public Exited awaitExit(long timeout, TimeUnit unit) {
    try {
      if (!process.waitFor(timeout, unit)) {
        process.destroyForcibly();
        throw new AssertionError(
            "pgkill did not finish within " + timeout + " " + unit + ": " + command);
      }
      return new Exited(process.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + command, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static String read(InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
