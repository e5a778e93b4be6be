package dev.pgkill.report;

import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.HorizonHolders.PreparedHolder;
import dev.pgkill.select.HorizonHolders.SlotHolder;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.Blocked;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Session;
import dev.pgkill.select.SqlLiteral;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import dev.pgkill.text.SafeText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The report for a person: an aligned table, one line per target, the query last and cut to fit the
 * terminal, then a one-line summary. The backend type gets a column only when a session is not a
 * client backend.
 */
public final class TextReport implements Report {
  /** How much of the query to show when the width of the terminal is not known. */
  static final int QUERY_WIDTH = 40;

  private static final String NONE = "-";
  private static final String GREEN = "\033[32m";
  private static final String YELLOW = "\033[33m";
  private static final String RED = "\033[31m";
  private static final String RESET = "\033[0m";

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean colour;
  private final int width;

  /**
   * @param width the terminal's width, or 0 when unknown
   */
  public TextReport(PrintWriter out, PrintWriter err, boolean colour, int width) {
    this.out = out;
    this.err = err;
    this.colour = colour;
    this.width = width;
  }

  @Override
  public void outcomes(Asked asked, List<Outcome> outcomes) {
    List<Column<Outcome>> columns = new ArrayList<>();
    columns.add(new Column<>("PID", o -> Integer.toString(o.target().pid())));
    for (Column<Session> column :
        sessionColumns(outcomes.stream().flatMap(o -> o.session().stream()).toList())) {
      columns.add(new Column<>(column.title(), o -> o.session().map(column.value()).orElse(NONE)));
    }
    columns.add(new Column<>("RESULT", ResultText::of));
    table(
        columns,
        outcomes,
        o -> o.session().map(Session::query).orElse(null),
        this::paint,
        o -> List.of());
    out.println(summary(asked, outcomes));
    out.flush();
  }

  @Override
  public void sessions(List<Session> sessions, LockGraph locks) {
    List<Column<Session>> columns = new ArrayList<>();
    columns.add(new Column<>("PID", s -> Integer.toString(s.pid())));
    columns.addAll(sessionColumns(sessions));
    table(columns, sessions, Session::query, (row, text) -> text, s -> below(locks, s.pid()));
    out.println(sessions.size() + (sessions.size() == 1 ? " session" : " sessions"));
    out.flush();
  }

  @Override
  public void preparedBlockers(List<PreparedBlocker> prepared, LockGraph locks) {
    for (PreparedBlocker blocker : prepared) {
      // The gid as the literal the hint uses: escaped, and exact where OneLine would fold it.
      out.println(
          "prepared transaction "
              + SqlLiteral.of(blocker.gid())
              + " (owner "
              + text(blocker.owner())
              + ", database "
              + text(blocker.database())
              + ") blocks "
              + blocker.blocks().stream()
                  .map(String::valueOf)
                  .collect(java.util.stream.Collectors.joining(", "))
              + ": never signalled (no session to signal); end it with "
              + blocker.hint());
    }
    out.flush();
  }

  @Override
  public void horizonHolders(HorizonHolders holders) {
    for (PreparedHolder holder : holders.prepared()) {
      out.println(
          "prepared transaction "
              + SqlLiteral.of(holder.gid())
              + " (owner "
              + text(holder.owner())
              + ", database "
              + text(holder.database())
              + ") holds back vacuum: its transaction is "
              + holder.xminAge()
              + " transactions old; never signalled (no session to signal);"
              + " end it with "
              + holder.hint());
    }
    for (SlotHolder slot : holders.slots()) {
      out.println(
          "replication slot '"
              + text(slot.name())
              + "' ("
              + slot.type()
              + (slot.database() == null ? "" : ", database " + text(slot.database()))
              + (slot.activePid() == null
                  ? ", inactive"
                  : ", used by walsender " + slot.activePid())
              + ") holds back vacuum: its "
              + slot.horizon()
              + " is "
              + slot.xminAge()
              + " transactions old; never signalled (no session to signal); if nothing uses it any"
              + " more, drop it with "
              + text(slot.hint()));
    }
    out.flush();
  }

  /** With --blockers: the lock cycle a session stands for, then the sessions queued behind it. */
  private List<String> below(LockGraph locks, int pid) {
    List<String> lines = new ArrayList<>();
    List<Integer> cycle = locks.cycleOf(pid);
    if (!cycle.isEmpty()) {
      StringBuilder line = new StringBuilder("  ↻ lock cycle: " + pid);
      for (int i = 1; i < cycle.size(); i++) {
        line.append(i == 1 ? " waits for " : ", which waits for ").append(cycle.get(i));
      }
      lines.add(line + ", which waits for " + pid + "; ending " + pid + " breaks it");
    }
    lines.addAll(tree(locks.blockedBy(pid), "  "));
    return lines;
  }

  /** The sessions queued behind one, a line each, indented as they queue. */
  private List<String> tree(List<Blocked> blocked, String indent) {
    List<String> lines = new ArrayList<>();
    for (Blocked b : blocked) {
      String line =
          indent
              + "└─ "
              + b.waiter().pid()
              + "  "
              + text(b.waiter().user())
              + "  waiting "
              + age(b.waiter().waiting())
              + "  ";
      lines.add(line + cut(b.waiter().query(), queryWidth(DisplayWidth.of(line))));
      lines.addAll(tree(b.blocks(), indent + "   "));
    }
    return lines;
  }

  @Override
  public void error(String message) {
    Report.error(err, message);
  }

  @Override
  public void hint(String message) {
    Report.hint(err, message);
  }

  @Override
  public void rule(String name, java.util.Optional<String> reason) {
    out.println(
        "rule " + SafeText.oneLine(name) + reason.map(r -> ": " + SafeText.oneLine(r)).orElse(""));
    out.flush();
  }

  private static List<Column<Session>> sessionColumns(List<Session> sessions) {
    List<Column<Session>> columns = new ArrayList<>();
    columns.add(new Column<>("USER", s -> text(s.user())));
    columns.add(new Column<>("DATABASE", s -> text(s.database())));
    columns.add(new Column<>("APPLICATION", s -> text(s.application())));
    columns.add(new Column<>("CLIENT", s -> text(s.client())));
    if (sessions.stream().anyMatch(s -> s.backendType() != null && !s.clientBackend())) {
      columns.add(new Column<>("TYPE", s -> text(s.backendType())));
    }
    columns.add(new Column<>("STATE", s -> text(s.state())));
    columns.add(new Column<>("AGE", s -> age(s.age())));
    if (sessions.stream().anyMatch(s -> s.xminAge() != null)) {
      columns.add(new Column<>("XMIN AGE", TextReport::xminAge));
    }
    return columns;
  }

  /** Prints the rows aligned, each ending with its query cut to what the line has left. */
  private <T> void table(
      List<Column<T>> columns,
      List<T> rows,
      Function<T, String> query,
      Painter<T> painter,
      Function<T, List<String>> below) {
    int[] widths = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      widths[i] = DisplayWidth.of(columns.get(i).title());
      for (T row : rows) {
        widths[i] = Math.max(widths[i], DisplayWidth.of(columns.get(i).value().apply(row)));
      }
    }
    int used = 0;
    for (int w : widths) {
      used += w + 2;
    }
    int queryWidth = queryWidth(used);
    out.println(
        line(columns, widths, c -> c.title(), null, painter)
            + DisplayWidth.cut("QUERY", queryWidth));
    for (T row : rows) {
      out.println(
          line(columns, widths, c -> c.value().apply(row), row, painter)
              + cut(query.apply(row), queryWidth));
      below.apply(row).forEach(out::println);
    }
  }

  private static <T> String line(
      List<Column<T>> columns,
      int[] widths,
      Function<Column<T>, String> cell,
      T row,
      Painter<T> painter) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      String text = cell.apply(columns.get(i));
      String padding = " ".repeat(widths[i] - DisplayWidth.of(text) + 2);
      boolean last = i == columns.size() - 1;
      line.append(row != null && last ? painter.paint(row, text) : text).append(padding);
    }
    return line.toString();
  }

  private String paint(Outcome outcome, String text) {
    if (!colour) {
      return text;
    }
    String colourCode =
        switch (outcome.result()) {
          case SIGNALLED, WOULD_SIGNAL -> outcome.done() ? GREEN : YELLOW;
          case DENIED, ERROR, CONNECTION_LOST, NOT_ATTEMPTED -> RED;
          default -> YELLOW;
        };
    return colourCode + text + RESET;
  }

  static String summary(Action action, List<Outcome> outcomes) {
    return summary(Asked.signal(action), outcomes);
  }

  /**
   * {@code cancel: 3 of 4 targets signalled, 1 not; 1 needed a terminate; 2 ended (1 by itself), 1
   * did not}; a dry run says only what it would have done.
   */
  static String summary(Asked asked, List<Outcome> outcomes) {
    Tally tally = Tally.of(outcomes);
    String verb = asked.action().verb();
    String targets = " of " + tally.targets() + " target" + (tally.targets() == 1 ? "" : "s");
    if (asked.dryRun()) {
      return "dry run: would "
          + verb
          + " "
          + tally.wouldSignal()
          + targets
          + "; nothing was signalled";
    }
    String summary =
        verb
            + ": "
            + tally.signalled()
            + targets
            + " signalled"
            + (tally.notSignalled() > 0 ? ", " + tally.notSignalled() + " not" : "");
    if (!tally.waited()) {
      return summary;
    }
    if (asked.escalate()) {
      summary += "; " + tally.neededTerminate() + " needed a terminate";
    }
    long ended = tally.ended();
    long byItself = tally.endedByItself();
    summary +=
        "; "
            + ended
            + " ended"
            + (byItself == 0
                ? ""
                : byItself == ended ? " by itself" : " (" + byItself + " by itself)");
    if (tally.nothingToCancel() > 0) {
      summary += ", " + tally.nothingToCancel() + " had nothing to cancel";
    }
    return summary + (tally.didNotEnd() > 0 ? ", " + tally.didNotEnd() + " did not" : "");
  }

  /** The age and which horizon it is of: {@code 35 xid} (an open writer) or {@code 35 xmin}. */
  private static String xminAge(Session session) {
    if (session.xminAge() == null) {
      return NONE;
    }
    return session.xminAge() + ("backend_xid".equals(session.horizon()) ? " xid" : " xmin");
  }

  /** Names come from any client: a role, database or application name may hold escapes. */
  private static String text(String value) {
    return value == null || value.isEmpty() ? NONE : SafeText.oneLine(value);
  }

  /** {@code 350ms}, {@code 42s}, {@code 5m07s}, {@code 1h02m}, {@code 3d04h}. */
  static String age(Duration age) {
    if (age == null) {
      return NONE;
    }
    long seconds = age.getSeconds();
    if (seconds < 1) {
      return Math.max(0, age.toMillis()) + "ms";
    }
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format("%dm%02ds", seconds / 60, seconds % 60);
    }
    if (seconds < 86400) {
      return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
  }

  /**
   * What is left for the query on a line whose other columns take {@code used}: no minimum, since a
   * row that wraps is harder to read than a short query.
   */
  private int queryWidth(int used) {
    return width > 0 ? Math.max(0, width - used) : QUERY_WIDTH;
  }

  /** The start of the query on one line: enough to recognise it, never enough to wrap. */
  static String cut(String query, int width) {
    String line =
        query == null || query.isBlank() ? NONE : SafeText.oneLine(query.replaceAll("\\s+", " "));
    return DisplayWidth.cut(line, width);
  }

  private record Column<T>(String title, Function<T, String> value) {}

  private interface Painter<T> {
    String paint(T row, String text);
  }
}
