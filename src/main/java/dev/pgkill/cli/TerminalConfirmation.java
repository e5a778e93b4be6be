package dev.pgkill.cli;

import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.ServerTag;
import dev.pgkill.report.TextReport;
import dev.pgkill.run.Confirmation;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import dev.pgkill.text.Counted;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Shows a filter's choice to the person at the terminal and asks before signalling it, both on the
 * terminal itself: standard output may be a file or a pipe, and what goes there must stay the
 * report the user asked for. Anything but yes, including end of input, is no.
 */
final class TerminalConfirmation implements Confirmation {
  private final Terminal terminal;

  TerminalConfirmation(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public boolean canAsk() {
    return terminal.interactive();
  }

  @Override
  public boolean confirm(Action action, List<Session> sessions, ServerIdentity server) {
    StringWriter table = new StringWriter();
    PrintWriter writer = new PrintWriter(table);
    new TextReport(writer, writer, false, terminal.width()).sessions(sessions);
    String verb =
        action.verb().substring(0, 1).toUpperCase(Locale.ROOT) + action.verb().substring(1);
    String question =
        verb + " " + Counted.of(sessions.size(), "session") + " on " + server + "? [y/N] ";
    String answer = terminal.readLine(table + question).orElse("").strip().toLowerCase(Locale.ROOT);
    return answer.equals("y") || answer.equals("yes");
  }

  /**
   * Each server's table, with {@code db1: 2 sessions} under it, then one question: {@code Cancel 3
   * sessions on 2 servers? [y/N]}.
   */
  @Override
  public boolean confirmAll(Action action, Map<String, List<Session>> byServer) {
    StringWriter text = new StringWriter();
    PrintWriter writer = new PrintWriter(text);
    int total = 0;
    int servers = 0;
    for (Map.Entry<String, List<Session>> server : byServer.entrySet()) {
      List<Session> sessions = server.getValue();
      if (sessions.isEmpty()) {
        continue;
      }
      // Each table names its server in a column and in its count: db1: 2 sessions.
      new TextReport(writer, writer, false, terminal.width())
          .on(new ServerTag(server.getKey(), "", 0, Optional.empty(), Optional.empty()))
          .sessions(sessions);
      total += sessions.size();
      servers++;
    }
    writer.flush();
    String verb =
        action.verb().substring(0, 1).toUpperCase(Locale.ROOT) + action.verb().substring(1);
    String question =
        verb
            + " "
            + Counted.of(total, "session")
            + " on "
            + Counted.of(servers, "server")
            + "? [y/N] ";
    String answer = terminal.readLine(text + question).orElse("").strip().toLowerCase(Locale.ROOT);
    return answer.equals("y") || answer.equals("yes");
  }
}
