package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.report.Table.Column;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  private static final List<Column<String>> COLUMNS =
      List.of(new Column<>("NAME", s -> s), new Column<>("LENGTH", s -> "" + s.length()));

  private static List<String> print(int width, List<String> rows) {
    StringWriter out = new StringWriter();
    new Table(new PrintWriter(out), width)
        .print(
            COLUMNS,
            rows,
            s -> "select '" + s + "'",
            (row, text) -> "\033[1m" + text + "\033[0m",
            s -> {
              return s.equals("bob") ? List.of("  under bob") : List.of();
            });
    return out.toString().lines().toList();
  }

  @Test
  void columnsAreAsWideAsTheirWidestCellUnpaintedAndTheQueryTakesWhatIsLeft() {
    assertThat(print(32, List.of("alexandra", "bob")))
        .containsExactly(
            "NAME       LENGTH  QUERY",
            "alexandra  \033[1m9\033[0m       select 'al...",
            "bob        \033[1m3\033[0m       select 'bob'",
            "  under bob");
  }

  @Test
  void anUnknownWidthShowsFortyColumnsOfTheQuery() {
    String row = print(0, List.of("x".repeat(60))).get(1);

    assertThat(row)
        .endsWith("...")
        .hasSize(60 + 2 + 6 + 2 + Table.QUERY_WIDTH + "\033[1m\033[0m".length());
  }

  @Test
  void aNarrowTerminalLeavesTheQueryNothingRatherThanWrap() {
    assertThat(Table.queryWidth(20, 30)).isZero();
    assertThat(Table.queryWidth(0, 30)).isEqualTo(Table.QUERY_WIDTH);
  }
}
