package dev.pgkill.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A shell command under {@code script}: its controlling terminal is a pseudo-terminal whose screen
 * the test reads and on whose keyboard it types.
 */
public final class Pty implements AutoCloseable {
  private final Process process;
  private final StringBuffer screen = new StringBuffer();
  private final Thread reader;
  private final OutputStream keyboard;

  public Pty(String command) throws IOException {
    // Ctrl-C must reach the shell and pgkill as at a real terminal, even when the tests run in
    // the background of a non-interactive shell, which leaves SIGINT ignored for its children.
    ProcessBuilder builder =
        new ProcessBuilder("env", "--default-signal=INT", "script", "-qfec", command, "/dev/null");
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("PG")
                    || name.equals("COLUMNS")
                    || name.equals("LINES")
                    || name.equals("NO_COLOR"));
    builder.environment().put("TERM", "xterm");
    builder.environment().put("LANG", "C.UTF-8");
    builder.environment().put("SHELL", "/bin/sh");
    builder.redirectErrorStream(true);
    process = builder.start();
    keyboard = process.getOutputStream();
    reader = new Thread(this::readScreen, "pty screen");
    reader.setDaemon(true);
    reader.start();
  }

  private void readScreen() {
    try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
      char[] buffer = new char[4096];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        screen.append(buffer, 0, n);
      }
    } catch (IOException e) {
      screen.append("\n[screen read failed: ").append(e).append(']');
    }
  }

  /** Waits until the text shows on the screen; fails if the command ends first. */
  public void awaitScreen(String text) {
    PostgresServer.await(
        "\"" + text + "\" on the terminal",
        Duration.ofSeconds(90),
        () -> screen.indexOf(text) >= 0 || !process.isAlive());
    assertThat(screen.toString()).as("the terminal").contains(text);
  }

  public void type(String keys) throws IOException {
    keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  public int exitStatus() throws InterruptedException {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      throw new AssertionError("the command did not finish; the terminal shows:\n" + screen);
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  public String screen() {
    return screen.toString();
  }

  @Override
  public void close() throws IOException {
    keyboard.close();
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
