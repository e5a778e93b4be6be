package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Optional;

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
        Environment.of(
            System.getenv(), System.getProperty("user.name"), Path.of(System.getProperty("user.home")));
    int status = new Main(out, err, System.in, environment, new ConsoleTerminal(environment)).run(args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** Runs pgkill with these arguments and returns its exit status. */
  public int run(String... args) {
    PgkillCommand command = new PgkillCommand(out, err, in, environment, terminal);
    return Cli.commandLine(command, out, err).execute(args);
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
