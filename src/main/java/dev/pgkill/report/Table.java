package dev.pgkill.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/**
 * An aligned table for a person: each column as wide as its widest cell, each row ending with its
 * query cut to what the line has left, and any lines that belong under a row printed below it.
 */
final class Table {
  /** How much of the query to show when the width of the terminal is not known. */
  static final int QUERY_WIDTH = 40;

  private final PrintWriter out;
  private final int width;

  /**
   * @param width the terminal's width, or 0 when unknown
   */
  Table(PrintWriter out, int width) {
    this.out = out;
    this.width = width;
  }

  record Column<T>(String title, Function<T, String> value) {}

  /** Paints the last cell of a row, the one that says what became of it. */
  interface Painter<T> {
    String paint(T row, String text);
  }

  /**
   * Prints the rows aligned, each ending with its query cut to what the line has left; with a null
   * {@code query}, without one.
   */
  <T> void print(
      List<Column<T>> columns,
      List<T> rows,
      Function<T, String> query,
      Painter<T> painter,
      Function<T, List<String>> below) {
    int[] widths = new int[columns.size()];
    int used = 0;
    for (int i = 0; i < columns.size(); i++) {
      widths[i] = DisplayWidth.of(columns.get(i).title());
      for (T row : rows) {
        widths[i] = Math.max(widths[i], DisplayWidth.of(columns.get(i).value().apply(row)));
      }
      used += widths[i] + 2;
    }
    int queryWidth = queryWidth(width, used);
    out.println(
        line(columns, widths, c -> c.title(), null, painter, query != null)
            + (query == null ? "" : DisplayWidth.cut("QUERY", queryWidth)));
    for (T row : rows) {
      out.println(
          line(columns, widths, c -> c.value().apply(row), row, painter, query != null)
              + (query == null ? "" : Cells.cut(query.apply(row), queryWidth)));
      below.apply(row).forEach(out::println);
    }
  }

  private static <T> String line(
      List<Column<T>> columns,
      int[] widths,
      Function<Column<T>, String> cell,
      T row,
      Painter<T> painter,
      boolean queryFollows) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      String text = cell.apply(columns.get(i));
      boolean last = i == columns.size() - 1;
      String padding =
          last && !queryFollows ? "" : " ".repeat(widths[i] - DisplayWidth.of(text) + 2);
      line.append(row != null && last ? painter.paint(row, text) : text).append(padding);
    }
    return line.toString();
  }

  /**
   * What is left for the query on a line whose other columns take {@code used}: no minimum, since a
   * row that wraps is harder to read than a short query.
   */
  static int queryWidth(int width, int used) {
    return width > 0 ? Math.max(0, width - used) : QUERY_WIDTH;
  }
}
