package dev.pgkill.select;

/**
 * A bracket expression in a PostgreSQL advanced regular expression, {@code [^a-z]}, with its {@code
 * [:alpha:]}, {@code [.x.]} and {@code [=e=]} inside: only where it ends is of interest.
 */
final class BracketExpression {
  /** It never closes. */
  static final int NEVER_CLOSES = -1;

  /** Where it ends only the server can tell. */
  static final int SERVERS_CALL = -2;

  private BracketExpression() {}

  /**
   * Where the expression opened at {@code open} ends, just past its {@code ]}; else {@link
   * #NEVER_CLOSES} or {@link #SERVERS_CALL}.
   */
  static int end(String pattern, int open) {
    int i = open + 1;
    if (pattern.startsWith("^", i)) {
      i++;
    }
    if (pattern.startsWith("]", i)) {
      i++; // a literal ] first
    }
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == ']') {
        return i + 1;
      }
      if (c == '[' && i + 1 < pattern.length() && ":.=".indexOf(pattern.charAt(i + 1)) >= 0) {
        int end = pattern.indexOf(pattern.charAt(i + 1) + "]", i + 2);
        if (end < 0) {
          return SERVERS_CALL;
        }
        i = end + 2;
      } else if (c == '\\') {
        i += 2; // in an ARE, an escape here too
      } else {
        i++;
      }
    }
    return NEVER_CLOSES;
  }
}
