package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;

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

  public Main(
      PrintWriter out, PrintWriter err, InputStream in, Environment environment, Terminal terminal) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.environment = environment;
    this.terminal = terminal;
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
    int status = new Main(out, err, System.in, environment, terminal).run(args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** Runs pgkill with these arguments and returns its exit status. */
  public int run(String... args) {
    PgkillCommand command = new PgkillCommand(out, err, in, environment, terminal);
    return Cli.commandLine(command, out, err).execute(args);
  }
}
