package dev.pgkill.select;

import dev.pgkill.select.Filters.Pick;
import dev.pgkill.select.Found.Mismatch;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * With --newest or --oldest, the others are filtered out like any other non-match. If some
 * candidate's backend_start is hidden, which one is newest cannot be known: a filter chooses none
 * (Hints says why), and of named PIDs the hidden ones are kept, to be reported as unidentifiable.
 */
final class NewestOrOldest {
  private NewestOrOldest() {}

  /** The sessions left; those set aside go to {@code unmatched}, with why in {@code mismatches}. */
  static List<Session> pick(
      List<Session> sessions,
      Pick pick,
      boolean byFilter,
      Set<Integer> unmatched,
      Map<Integer, Mismatch> mismatches) {
    if (pick == Pick.ALL || sessions.size() <= 1) {
      return sessions;
    }
    String option = pick == Pick.NEWEST ? "--newest" : "--oldest";
    if (byFilter && sessions.stream().anyMatch(s -> !s.identifiable())) {
      return List.of();
    }
    if (sessions.stream().anyMatch(s -> !s.identifiable())) {
      sessions.stream()
          .filter(Session::identifiable)
          .forEach(
              s -> {
                unmatched.add(s.pid());
                mismatches.put(
                    s.pid(),
                    new Mismatch(
                        s,
                        "not chosen: "
                            + option
                            + " cannot tell which one, some matching sessions' backend_start is hidden"));
              });
      return sessions.stream().filter(s -> !s.identifiable()).toList();
    }
    Comparator<Session> byStart = Comparator.comparing(Session::backendStart);
    Session chosen =
        pick == Pick.NEWEST
            ? sessions.stream().max(byStart).orElseThrow()
            : sessions.stream().min(byStart).orElseThrow();
    sessions.stream()
        .filter(s -> s != chosen)
        .forEach(
            s -> {
              unmatched.add(s.pid());
              mismatches.put(
                  s.pid(), new Mismatch(s, "not chosen: " + option + " chose " + chosen.pid()));
            });
    return List.of(chosen);
  }
}
