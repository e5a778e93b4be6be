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
      String why =
          "not chosen: "
              + option
              + " cannot tell which one, some matching sessions' backend_start is hidden";
      sessions.stream()
          .filter(Session::identifiable)
          .forEach(s -> setAside(s, why, unmatched, mismatches));
      return sessions.stream().filter(s -> !s.identifiable()).toList();
    }
    Comparator<Session> byStart = Comparator.comparing(Session::backendStart);
    Session chosen =
        pick == Pick.NEWEST
            ? sessions.stream().max(byStart).orElseThrow()
            : sessions.stream().min(byStart).orElseThrow();
    String why = "not chosen: " + option + " chose " + chosen.pid();
    sessions.stream()
        .filter(s -> s != chosen)
        .forEach(s -> setAside(s, why, unmatched, mismatches));
    return List.of(chosen);
  }

  private static void setAside(
      Session session, String why, Set<Integer> unmatched, Map<Integer, Mismatch> mismatches) {
    unmatched.add(session.pid());
    mismatches.put(session.pid(), new Mismatch(session, why));
  }
}
