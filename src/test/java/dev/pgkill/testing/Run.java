package dev.pgkill.testing;

import dev.pgkill.cli.Main;
import dev.pgkill.connect.Environment;
import dev.pgkill.connect.PasswordSource;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** One in-process run of pgkill: its exit status and what it printed. */
public record Run(int status, String out, String err) {

  /** Runs pgkill with no environment, no standard input and no terminal. */
  public static Run of(String... args) {
    return with(Map.of(), "", PasswordSource.NOBODY, args);
  }

  public static Run withStdin(String stdin, String... args) {
    return with(Map.of(), stdin, PasswordSource.NOBODY, args);
  }

  public static Run with(
      Map<String, String> env, String stdin, PasswordSource passwords, String... args) {
    return in(
        new Environment(env, "pgkill-os-user", Path.of("/nonexistent")), stdin, passwords, args);
  }

  /** Runs pgkill in this environment: variables, OS user, home and socket directories. */
  public static Run in(
      Environment environment, String stdin, PasswordSource passwords, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        new Main(
                new PrintWriter(out),
                new PrintWriter(err),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                environment,
                passwords)
            .run(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** The report line of this PID, or a failed test showing the whole output. */
  public String lineOf(int pid) {
    return out.lines()
        .filter(line -> line.startsWith(pid + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for PID " + pid + " in:\n" + out + err));
  }
}
