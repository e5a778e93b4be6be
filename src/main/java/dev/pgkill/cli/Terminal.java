package dev.pgkill.cli;

import java.util.Optional;

/**
 * The person at the terminal, if there is one. Given to the command rather than found through
 * {@code System.console()}, so tests can answer prompts.
 */
public interface Terminal {
  /**
   * Whether there is a controlling terminal to ask on, whatever standard input and output are (a
   * pipe of PIDs, a log file): a person may be there. Cron and {@code setsid} have none.
   */
  boolean interactive();

  /** Whether standard output is a terminal: colour and the terminal's width apply to it. */
  boolean showsOutput();

  /** Its width in columns, or 0 when not known. */
  int width();

  /** The line typed after the prompt; empty at end of input or with no terminal. */
  Optional<String> readLine(String prompt);

  /** A password typed without echo; empty at end of input or with no terminal. */
  Optional<char[]> readPassword(String prompt);

  /** No terminal: cron, a script, a test. */
  Terminal NONE =
      new Terminal() {
        @Override
        public boolean interactive() {
          return false;
        }

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
          return Optional.empty();
        }

        @Override
        public Optional<char[]> readPassword(String prompt) {
          return Optional.empty();
        }
      };
}
