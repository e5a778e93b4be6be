package dev.pgkill.testing;

import dev.pgkill.cli.Main;
import dev.pgkill.cli.Terminal;
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
    return with(Map.of(), "", Terminal.NONE, args);
  }

  public static Run withStdin(String stdin, String... args) {
    return with(Map.of(), stdin, Terminal.NONE, args);
  }

  public static Run with(Map<String, String> env, String stdin, Terminal terminal, String... args) {
    return in(
        new Environment(env, "pgkill-os-user", Path.of("/nonexistent")), stdin, terminal, args);
  }

  /** Runs pgkill in this environment, with passwords (if asked for) from {@code passwords}. */
  public static Run in(
      Environment environment, String stdin, PasswordSource passwords, String... args) {
    Terminal answering =
        new ScriptedTerminal(false, new java.util.ArrayDeque<>(), passwords, new StringBuilder());
    return in(environment, stdin, answering, args);
  }

  /** Runs pgkill in this environment: variables, OS user, home and socket directories. */
  public static Run in(Environment environment, String stdin, Terminal terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        new Main(
                new PrintWriter(out),
                new PrintWriter(err),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                environment,
                terminal)
            .run(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** A terminal where a person answers each question with the next of these lines. */
  public static Terminal person(java.util.Deque<String> answers, StringBuilder questions) {
    return new ScriptedTerminal(
        true,
        answers,
        prompt -> java.util.Optional.ofNullable(answers.poll()).map(String::toCharArray),
        questions);
  }

  /** The report line of this PID, or a failed test showing the whole output. */
  public String lineOf(int pid) {
    return out.lines()
        .filter(line -> line.startsWith(pid + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for PID " + pid + " in:\n" + out + err));
  }
}
