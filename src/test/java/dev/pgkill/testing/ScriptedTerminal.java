package dev.pgkill.testing;

import dev.pgkill.cli.Terminal;
import dev.pgkill.connect.PasswordSource;
import java.util.Deque;
import java.util.Optional;

/**
 * A terminal whose person answers from a script: each question gets the next line (none at end of
 * input), passwords come from {@code passwords}, and every prompt is noted in {@code questions}.
 */
public record ScriptedTerminal(
    boolean interactive, Deque<String> answers, PasswordSource passwords, StringBuilder questions)
    implements Terminal {

  @Override
  public boolean showsOutput() {
    return false;
  }

  @Override
  public int width() {
    return 0;
  }

  @Override
  public Optional<String> readLine(String prompt) {
    questions.append(prompt).append('\n');
    return Optional.ofNullable(answers.poll());
  }

  @Override
  public Optional<char[]> readPassword(String prompt) {
    questions.append(prompt).append('\n');
    return passwords.ask(prompt);
  }
}
