package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import dev.pgkill.run.ExitStatus;
import dev.pgkill.run.Stopping;
import dev.pgkill.text.SafeText;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The entry point, and the only class that touches {@code System}: everything else is given its
 * streams, environment and terminal, so tests run the whole program in-process.
 */
public final class Main {
  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream in;
  private final Environment environment;
  private final Terminal terminal;
  private final Stopping stopping;
  private final Supplier<Optional<IOException>> outFailure;
  private final ServiceSignals signals;

  public Main(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal) {
    this(
        out,
        Optional::empty,
        err,
        in,
        environment,
        terminal,
        Stopping.UNHEARD,
        ServiceSignals.NONE);
  }

  public Main(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal,
      Stopping stopping) {
    this(out, Optional::empty, err, in, environment, terminal, stopping, ServiceSignals.NONE);
  }

  /** As a watch's tests run it: {@code signals} receives the watch's control. */
  Main(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal,
      ServiceSignals signals) {
    this(out, Optional::empty, err, in, environment, terminal, Stopping.UNHEARD, signals);
  }

  private Main(
      PrintWriter out,
      Supplier<Optional<IOException>> outFailure,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal,
      Stopping stopping,
      ServiceSignals signals) {
    this.out = out;
    this.signals = signals;
    this.outFailure = outFailure;
    this.err = err;
    this.in = in;
    this.environment = environment;
    this.terminal = terminal;
    this.stopping = stopping;
  }

  public static void main(String[] args) {
    Charset charset = Charset.defaultCharset();
    FailureKeeping stdout = new FailureKeeping(new FileOutputStream(FileDescriptor.out));
    PrintWriter out = new PrintWriter(stdout, false, charset);
    PrintWriter err = new PrintWriter(System.err, true, charset);
    Environment environment =
        Environment.of(
            System.getenv(),
            System.getProperty("user.name"),
            Path.of(System.getProperty("user.home")));
    // Where /proc cannot say: System.console() exists only when stdin and stdout are terminals.
    Terminal terminal = new DeviceTerminal(environment, charset, () -> System.console() != null);
    int status =
        new Main(
                out,
                stdout::failure,
                err,
                System.in,
                environment,
                terminal,
                new ShutdownHook(),
                new UnixSignals())
            .run(args);
    err.flush();
    System.exit(status);
  }

  /** Runs pgkill with these arguments and returns its exit status. */
  public int run(String... args) {
    // What is printed when pgkill is stopped mid-wait must be checked as a normal end's is.
    Stopping checked =
        last ->
            stopping.onStop(
                last == null
                    ? null
                    : () -> {
                      last.run();
                      written(0);
                    });
    PgkillCommand command =
        new PgkillCommand(out, err, in, environment, terminal, checked, signals);
    int status = Cli.commandLine(command, out, err).execute(args);
    return written(status);
  }

  /**
   * PrintWriter never throws: it only remembers that a write failed. A report, or an id list, that
   * did not reach standard output (a full disk, a closed pipe) must not end like one that did.
   */
  private int written(int status) {
    if (!out.checkError()) {
      return status;
    }
    String cause =
        outFailure
            .get()
            .map(e -> e.getMessage() == null ? e.toString() : e.getMessage())
            .map(message -> ": " + SafeText.oneLine(message))
            .orElse("");
    err.println(
        "pgkill: error: could not write to standard output"
            + cause
            + "; what was printed is incomplete");
    err.flush();
    return ExitStatus.FATAL.code();
  }

  /** Standard output that keeps the first write error, which PrintWriter swallows. */
  private static final class FailureKeeping extends FilterOutputStream {
    private IOException failure;

    FailureKeeping(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw keep(e);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      try {
        out.write(bytes, offset, length);
      } catch (IOException e) {
        throw keep(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw keep(e);
      }
    }

    private IOException keep(IOException e) {
      if (failure == null) {
        failure = e;
      }
      return e;
    }

    Optional<IOException> failure() {
      return Optional.ofNullable(failure);
    }
  }

  /**
   * SIGINT and SIGTERM make the JVM run its shutdown hooks, then exit 130 or 143. The hook is
   * registered the first time a run has something to say then, so that no other run (--help, a
   * listing) pays for it; at a normal exit it finds nothing left to say.
   */
  private static final class ShutdownHook implements Stopping {
    private final AtomicReference<Runnable> last = new AtomicReference<>();
    private final AtomicBoolean registered = new AtomicBoolean();

    @Override
    public void onStop(Runnable last) {
      this.last.set(last);
      if (last != null && registered.compareAndSet(false, true)) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopped, "pgkill-stopped"));
      }
    }

    private void stopped() {
      Runnable stop = last.getAndSet(null);
      if (stop != null) {
        stop.run();
      }
    }
  }
}
