package dev.pgkill.report;

import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The report for a person: an aligned table, one line per target, the result last because it is
 * the longest, then a one-line summary.
 */
public final class TextReport implements Report {
  static final int QUERY_WIDTH = 40;
  private static final String NONE = "-";

  private static final List<Column> COLUMNS =
      List.of(
          new Column("PID", o -> Integer.toString(o.target().pid())),
          new Column("ACTION", o -> o.action().verb()),
          new Column("USER", o -> field(o, Session::user)),
          new Column("DATABASE", o -> field(o, Session::database)),
          new Column("APPLICATION", o -> field(o, Session::application)),
          new Column("STATE", o -> field(o, Session::state)),
          new Column("QUERY", o -> query(field(o, Session::query))),
          new Column("RESULT", ResultText::of));

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean quiet;

  public TextReport(PrintWriter out, PrintWriter err, boolean quiet) {
    this.out = out;
    this.err = err;
    this.quiet = quiet;
  }

  @Override
  public void outcomes(Action action, List<Outcome> outcomes) {
    if (quiet) {
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(COLUMNS.stream().map(Column::title).toArray(String[]::new));
    for (Outcome outcome : outcomes) {
      rows.add(COLUMNS.stream().map(c -> c.value().apply(outcome)).toArray(String[]::new));
    }
    int[] widths = new int[COLUMNS.size()];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line);
    }
    out.println(summary(action, outcomes));
    out.flush();
  }

  @Override
  public void error(String message) {
    err.println("pgkill: error: " + message);
    err.flush();
  }

  static String summary(Action action, List<Outcome> outcomes) {
    long signalled = outcomes.stream().filter(Outcome::signalled).count();
    long total = outcomes.size();
    return action.verb() + ": " + signalled + " of " + total + " target"
        + (total == 1 ? "" : "s") + " signalled"
        + (signalled < total ? ", " + (total - signalled) + " not" : "");
  }

  private static String field(Outcome outcome, Function<Session, String> field) {
    String value = outcome.session().map(field).orElse(null);
    return value == null || value.isEmpty() ? NONE : value;
  }

  /** The start of the query on one line: enough to recognise it, never enough to wrap. */
  static String query(String query) {
    String line = query.strip().replaceAll("\\s+", " ");
    return line.length() <= QUERY_WIDTH ? line : line.substring(0, QUERY_WIDTH - 3) + "...";
  }

  private record Column(String title, Function<Outcome, String> value) {}
}
