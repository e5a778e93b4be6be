package dev.pgkill.cli;

import dev.pgkill.ExitStatus;
import dev.pgkill.OneLine;
import dev.pgkill.connect.Environment;
import java.io.Console;
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
  private final Supplier<Optional<IOException>> outFailure;

  public Main(
      PrintWriter out, PrintWriter err, InputStream in, Environment environment, Terminal terminal) {
    this(out, Optional::empty, err, in, environment, terminal);
  }

  private Main(
      PrintWriter out,
      Supplier<Optional<IOException>> outFailure,
      PrintWriter err,
      InputStream in,
      Environment environment,
      Terminal terminal) {
    this.out = out;
    this.outFailure = outFailure;
    this.err = err;
    this.in = in;
    this.environment = environment;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    Charset charset = Charset.defaultCharset();
    FailureKeeping stdout = new FailureKeeping(new FileOutputStream(FileDescriptor.out));
    PrintWriter out = new PrintWriter(stdout, false, charset);
    PrintWriter err = new PrintWriter(System.err, true, charset);
    Environment environment =
        new Environment(
            System.getenv(), System.getProperty("user.name"), Path.of(System.getProperty("user.home")));
    int status =
        new Main(out, stdout::failure, err, System.in, environment, new ConsoleTerminal(environment))
            .run(args);
    err.flush();
    System.exit(status);
  }

  /** Runs pgkill with these arguments and returns its exit status. */
  public int run(String... args) {
    PgkillCommand command = new PgkillCommand(out, err, in, environment, terminal);
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
        outFailure.get().map(e -> e.getMessage() == null ? e.toString() : e.getMessage())
            .map(message -> ": " + OneLine.of(message)).orElse("");
    err.println(
        "pgkill: error: could not write to standard output" + cause
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

  /** The real terminal: {@code System.console()}, which exists only when a person is there. */
  private record ConsoleTerminal(Environment environment) implements Terminal {
    @Override
    public boolean interactive() {
      return System.console() != null;
    }

    @Override
    public int width() {
      try {
        String columns = environment.get("COLUMNS");
        return interactive() && columns != null ? Integer.parseInt(columns.strip()) : 0;
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    @Override
    public Optional<String> readLine(String prompt) {
      Console console = System.console();
      return console == null ? Optional.empty() : Optional.ofNullable(console.readLine("%s", prompt));
    }

    @Override
    public Optional<char[]> readPassword(String prompt) {
      Console console = System.console();
      return console == null
          ? Optional.empty()
          : Optional.ofNullable(console.readPassword("%s", prompt));
    }
  }
}
