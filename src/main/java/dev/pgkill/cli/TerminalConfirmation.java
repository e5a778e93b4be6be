package dev.pgkill.cli;

import dev.pgkill.Confirmation;
import dev.pgkill.report.TextReport;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Shows a filter's choice to the person at the terminal and asks before signalling it. Anything
 * but yes, including end of input, is no.
 */
final class TerminalConfirmation implements Confirmation {
  private final Terminal terminal;
  private final PrintWriter out;
  private final PrintWriter err;

  TerminalConfirmation(Terminal terminal, PrintWriter out, PrintWriter err) {
    this.terminal = terminal;
    this.out = out;
    this.err = err;
  }

  @Override
  public boolean confirm(Action action, List<Session> sessions, String server) {
    new TextReport(out, err, false, terminal.width()).sessions(sessions);
    String verb = action.verb().substring(0, 1).toUpperCase(Locale.ROOT) + action.verb().substring(1);
    String question =
        verb + " " + sessions.size() + (sessions.size() == 1 ? " session" : " sessions") + " on "
            + server + "? [y/N] ";
    String answer = terminal.readLine(question).orElse("").strip().toLowerCase(Locale.ROOT);
    return answer.equals("y") || answer.equals("yes");
  }
}
