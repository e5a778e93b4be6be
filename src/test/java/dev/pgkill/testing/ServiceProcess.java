package dev.pgkill.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pgkill running as a service does: a real process of the built jar whose output goes to files, so
 * that a test can read what it said so far while it runs, and signal it as systemd would.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path err;

  private ServiceProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code java -jar pgkill.jar args}, its output into files in {@code dir}. */
  public static ServiceProcess start(Path dir, String... args) throws IOException {
    return start(dir, java.util.Map.of(), args);
  }

  /** As {@link #start(Path, String...)}, with these environment variables added. */
  public static ServiceProcess start(Path dir, java.util.Map<String, String> env, String... args)
      throws IOException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    // As systemd starts a service: every signal at its default. A test run in the background
    // of a non-interactive shell inherits SIGINT ignored, and a JVM keeps an ignored SIGINT so.
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP"));
    command.addAll(PgkillProcess.jar(args));
    ProcessBuilder builder = PgkillProcess.builder(command);
    builder.environment().putAll(env);
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    return new ServiceProcess(builder.start(), out, err);
  }

  public String out() {
    return read(out);
  }

  public String err() {
    return read(err);
  }

  /** Waits until standard output holds {@code text}, or fails with what it holds. */
  public void awaitOut(String text) {
    PostgresServer.await(
        "pgkill to print " + text + "; it printed: " + out(),
        Duration.ofSeconds(30),
        () -> out().contains(text));
  }

  /** Waits until standard error holds {@code text}, or fails with what it holds. */
  public void awaitErr(String text) {
    PostgresServer.await(
        "pgkill to say " + text + "; it said: " + err(),
        Duration.ofSeconds(30),
        () -> err().contains(text));
  }

  /** Sends a signal by name ({@code TERM}, {@code HUP}, {@code INT}) as kill(1) does. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + name + " failed");
    }
  }

  /** Waits for the process to end and returns its exit status, or fails the test. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("pgkill did not stop within " + timeout + "; it said: " + err());
    }
    return process.exitValue();
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
