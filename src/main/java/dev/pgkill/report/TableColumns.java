package dev.pgkill.report;

import dev.pgkill.select.Filters;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which columns the text table shows: those {@code --columns} chose, in their order; or, by
 * default, those it has always shown, and after them the columns a selection option chose sessions
 * by (the wait event for --wait-event), so that a listing shows why each session is there.
 *
 * @param chosen the columns --columns named; empty for the default
 * @param added with the default: the columns the selection options add before the query
 */
public record TableColumns(List<SessionColumn> chosen, List<SessionColumn> added) {
  public static final TableColumns DEFAULT = new TableColumns(List.of(), List.of());

  public TableColumns {
    chosen = List.copyOf(chosen);
    added = List.copyOf(added);
  }

  /** The default table, with what {@code filters} choose by. */
  public static TableColumns showing(Filters filters) {
    List<SessionColumn> added = new ArrayList<>();
    if (!filters.clientHostnames().isEmpty()) {
      added.add(SessionColumn.CLIENT_HOSTNAME);
    }
    if (!filters.waitEvents().isEmpty()) {
      added.add(SessionColumn.WAIT_EVENT_TYPE);
      added.add(SessionColumn.WAIT_EVENT);
    }
    if (!filters.queryIds().isEmpty()) {
      added.add(SessionColumn.QUERY_ID);
    }
    return new TableColumns(List.of(), added);
  }

  /**
   * The columns named, {@code pid,user,wait_event}: each once, in the order first named, the query
   * last wherever it was named; an unknown one is a usage error listing those there are.
   */
  public static TableColumns chosen(List<String> words) {
    Set<SessionColumn> chosen = new LinkedHashSet<>();
    for (String word : words) {
      String key = word.strip().toLowerCase(Locale.ROOT);
      SessionColumn column =
          SessionColumn.words().contains(key)
              ? SessionColumn.valueOf(key.toUpperCase(Locale.ROOT))
              : null;
      if (column == null) {
        throw new UsageError(
            "invalid --columns: no column "
                + SafeText.quoted(word)
                + "; expected some of "
                + String.join(",", SessionColumn.words()));
      }
      chosen.add(column);
    }
    if (chosen.remove(SessionColumn.QUERY)) {
      chosen.add(SessionColumn.QUERY);
    }
    return new TableColumns(List.copyOf(chosen), List.of());
  }

  /** Whether --columns chose the columns. */
  boolean isChosen() {
    return !chosen.isEmpty();
  }

  /** With --columns: whether the query is one of them. The default table always shows it. */
  boolean showsQuery() {
    return !isChosen() || chosen.contains(SessionColumn.QUERY);
  }
}
