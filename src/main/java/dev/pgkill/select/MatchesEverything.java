package dev.pgkill.select;

import java.util.Set;

/**
 * Patterns that match every name or every query: as a selection they would mean every session, so
 * on their own they choose nothing, as pgkill never means every session.
 */
final class MatchesEverything {
  /** Regular expressions that match every query, or every one but the empty text. */
  private static final Set<String> EVERY_QUERY =
      Set.of("", ".", ".*", ".+", "^", "$", "^.*", ".*$", "^.*$", "^.+", ".+$", "^.+$");

  private MatchesEverything() {}

  /** A glob of stars only. */
  static boolean glob(String glob) {
    return !glob.isEmpty() && glob.chars().allMatch(c -> c == '*');
  }

  static boolean regex(String regex) {
    return EVERY_QUERY.contains(regex);
  }
}
