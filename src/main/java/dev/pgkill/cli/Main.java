package dev.pgkill.cli;

import dev.pgkill.Stopping;
import dev.pgkill.connect.Environment;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

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

  public Main(
      PrintWriter out, PrintWriter err, InputStream in, Environment environment, Terminal terminal) {
    this(out, err, in, environment, terminal, Stopping.UNHEARD);
  }

  public Main(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal,
      Stopping stopping) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.environment = environment;
    this.terminal = terminal;
    this.stopping = stopping;
  }

  public static void main(String[] args) {
    Charset charset = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(System.out, false, charset);
    PrintWriter err = new PrintWriter(System.err, true, charset);
    Environment environment =
        new Environment(
            System.getenv(), System.getProperty("user.name"), Path.of(System.getProperty("user.home")));
    // Where /proc cannot say: System.console() exists only when stdin and stdout are terminals.
    Terminal terminal = new DeviceTerminal(environment, charset, () -> System.console() != null);
    int status = new Main(out, err, System.in, environment, terminal, new ShutdownHook()).run(args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** Runs pgkill with these arguments and returns its exit status. */
  public int run(String... args) {
    PgkillCommand command = new PgkillCommand(out, err, in, environment, terminal, stopping);
    return Cli.commandLine(command, out, err).execute(args);
  }

  /**
   * SIGINT and SIGTERM make the JVM run its shutdown hooks, then exit 130 or 143. The hook is
   * registered the first time a run has something to say then, so that no other run (--help,
   * a listing) pays for it; at a normal exit it finds nothing left to say.
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
