package dev.pgkill.report;

import static dev.pgkill.report.Cells.NONE;
import static dev.pgkill.report.Cells.text;

import dev.pgkill.report.Table.Column;
import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.HorizonHolders.PreparedHolder;
import dev.pgkill.select.HorizonHolders.SlotHolder;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome;
import dev.pgkill.text.Counted;
import dev.pgkill.text.SafeText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report for a person: an aligned table, one line per target, the query last and cut to fit the
 * terminal, then a one-line summary. The backend type gets a column only when a session is not a
 * client backend.
 */
public final class TextReport implements Report {
  private static final String GREEN = "\033[32m";
  private static final String YELLOW = "\033[33m";
  private static final String RED = "\033[31m";
  private static final String RESET = "\033[0m";

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean colour;
  private final int width;
  private final TableColumns shown;
  private final Optional<ServerTag> server;

  /**
   * @param width the terminal's width, or 0 when unknown
   */
  public TextReport(PrintWriter out, PrintWriter err, boolean colour, int width) {
    this(out, err, colour, width, TableColumns.DEFAULT);
  }

  /**
   * @param width the terminal's width, or 0 when unknown
   * @param shown the columns --columns chose, or the default ones
   */
  public TextReport(
      PrintWriter out, PrintWriter err, boolean colour, int width, TableColumns shown) {
    this(out, err, colour, width, shown, Optional.empty());
  }

  private TextReport(
      PrintWriter out,
      PrintWriter err,
      boolean colour,
      int width,
      TableColumns shown,
      Optional<ServerTag> server) {
    this.out = out;
    this.err = err;
    this.colour = colour;
    this.width = width;
    this.shown = shown;
    this.server = server;
  }

  @Override
  public Report on(ServerTag tag) {
    return new TextReport(out, err, colour, width, shown, Optional.of(tag));
  }

  /** {@code db1: } before a line about one server of several; nothing with one server. */
  private String prefix() {
    return server.map(s -> SafeText.oneLine(s.label()) + ": ").orElse("");
  }

  /**
   * Whether to print a table of these rows: always for one server, as it always was; among several,
   * a server with nothing to show is its summary line alone.
   */
  private boolean tableOf(List<?> rows) {
    return server.isEmpty() || !rows.isEmpty();
  }

  /** The SERVER column, first, when the run has several servers. */
  private <T> void serverColumn(List<Column<T>> columns) {
    server.ifPresent(s -> columns.add(new Column<>("SERVER", row -> text(s.label()))));
  }

  @Override
  public void outcomes(Asked asked, List<Outcome> outcomes) {
    List<Column<Outcome>> columns = new ArrayList<>();
    serverColumn(columns);
    Column<Outcome> pid = new Column<>("PID", o -> Integer.toString(o.target().pid()));
    if (shown.isChosen()) {
      for (SessionColumn chosen : shown.chosen()) {
        if (chosen == SessionColumn.PID) {
          columns.add(pid);
        } else if (chosen != SessionColumn.QUERY) {
          columns.add(
              new Column<>(chosen.title(), o -> o.session().map(chosen::value).orElse(NONE)));
        }
      }
    } else {
      columns.add(pid);
      for (Column<Session> column :
          sessionColumns(outcomes.stream().flatMap(o -> o.session().stream()).toList())) {
        columns.add(
            new Column<>(column.title(), o -> o.session().map(column.value()).orElse(NONE)));
      }
    }
    columns.add(new Column<>("RESULT", ResultText::of));
    if (tableOf(outcomes)) {
      new Table(out, width)
          .print(
              columns,
              outcomes,
              shown.showsQuery() ? o -> o.session().map(Session::query).orElse(null) : null,
              this::paint,
              o -> List.of());
    }
    out.println(prefix() + Summary.of(asked, outcomes));
    out.flush();
  }

  @Override
  public void sessions(List<Session> sessions, LockGraph locks) {
    List<Column<Session>> columns = new ArrayList<>();
    serverColumn(columns);
    if (!shown.isChosen()) {
      columns.add(new Column<>("PID", s -> Integer.toString(s.pid())));
    }
    columns.addAll(sessionColumns(sessions));
    LockTree tree = new LockTree(locks, width);
    if (tableOf(sessions)) {
      new Table(out, width)
          .print(
              columns,
              sessions,
              shown.showsQuery() ? Session::query : null,
              (row, text) -> text,
              s -> tree.below(s.pid()));
    }
    out.println(prefix() + Counted.of(sessions.size(), "session"));
    out.flush();
  }

  @Override
  public void preparedBlockers(List<PreparedBlocker> prepared, LockGraph locks) {
    prepared.forEach(blocker -> out.println(HolderLines.of(blocker)));
    out.flush();
  }

  @Override
  public void horizonHolders(HorizonHolders holders) {
    for (PreparedHolder holder : holders.prepared()) {
      out.println(HolderLines.of(holder));
    }
    for (SlotHolder slot : holders.slots()) {
      out.println(HolderLines.of(slot));
    }
    out.flush();
  }

  @Override
  public void error(String message) {
    Report.error(err, prefix() + message);
  }

  @Override
  public void hint(String message) {
    Report.hint(err, prefix() + message);
  }

  @Override
  public void run(RunSummary summary) {
    out.println(RunLine.of(summary));
    out.flush();
  }

  @Override
  public void rule(String name, java.util.Optional<String> reason) {
    out.println(
        prefix()
            + "rule "
            + SafeText.oneLine(name)
            + reason.map(r -> ": " + SafeText.oneLine(r)).orElse(""));
    out.flush();
  }

  /**
   * The columns --columns chose, PID among them (the query aside, which the table puts last); by
   * default those after PID it has always shown, then those the selection options add.
   */
  private List<Column<Session>> sessionColumns(List<Session> sessions) {
    if (shown.isChosen()) {
      return shown.chosen().stream()
          .filter(c -> c != SessionColumn.QUERY)
          .map(c -> new Column<Session>(c.title(), c::value))
          .toList();
    }
    List<Column<Session>> columns = defaultColumns(sessions);
    shown.added().forEach(c -> columns.add(new Column<>(c.title(), c::value)));
    return columns;
  }

  private static List<Column<Session>> defaultColumns(List<Session> sessions) {
    List<Column<Session>> columns = new ArrayList<>();
    columns.add(new Column<>("USER", s -> text(s.user())));
    columns.add(new Column<>("DATABASE", s -> text(s.database())));
    columns.add(new Column<>("APPLICATION", s -> text(s.application())));
    columns.add(new Column<>("CLIENT", s -> text(s.client())));
    if (sessions.stream().anyMatch(s -> s.backendType() != null && !s.clientBackend())) {
      columns.add(new Column<>("TYPE", s -> text(s.backendType())));
    }
    columns.add(new Column<>("STATE", s -> text(s.state())));
    columns.add(new Column<>("AGE", s -> Cells.age(s.age())));
    if (sessions.stream().anyMatch(s -> s.xminAge() != null)) {
      columns.add(new Column<>("XMIN AGE", Cells::xminAge));
    }
    if (sessions.stream().anyMatch(s -> s.lockWaiting() != null)) {
      columns.add(new Column<>("LOCK WAIT", Cells::lockWait));
    }
    if (sessions.stream().anyMatch(s -> s.newestInGroup() != null)) {
      columns.add(new Column<>("NEWEST", Cells::newestInGroup));
    }
    return columns;
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
}
