package dev.pgkill.select;

import dev.pgkill.text.SafeText;

import dev.pgkill.text.UsageError;

/**
 * The mistakes in a {@code --query} pattern that no reading of it forgives, found before
 * connecting, so that they are usage errors even when the server is out of reach: unbalanced
 * parentheses or brackets, a quantifier with nothing to repeat, a bad {@code {m,n}} bound, a
 * trailing backslash. The pattern is a PostgreSQL advanced regular expression (ARE), with its
 * {@code \m \M \y [[:<:]]} and the rest: anything this check is not sure of, the server judges
 * (an invalid_regular_expression from it is a usage error too), so this never refuses what
 * PostgreSQL accepts. The words are PostgreSQL's.
 */
public final class QueryRegex {
  /** RE_DUP_MAX: the largest count a bound may give. */
  private static final int MOST_REPETITIONS = 255;

  private final String pattern;
  private int at;
  private boolean expanded;

  private QueryRegex(String pattern) {
    this.pattern = pattern;
  }

  /** Refuses a pattern that is surely wrong, naming the mistake as PostgreSQL does. */
  public static void check(String pattern) {
    String mistake = new QueryRegex(pattern).mistake();
    if (mistake != null) {
      throw new UsageError(
          "invalid --query regular expression " + SafeText.quoted(pattern) + ": " + mistake);
    }
  }

  /** What is surely wrong, or null when nothing is (or when only the server can tell). */
  static String mistake(String pattern) {
    return new QueryRegex(pattern).mistake();
  }

  private String mistake() {
    if (pattern.startsWith("***=")) {
      return null; // the rest is a literal string
    }
    if (pattern.startsWith("***:")) {
      at = 4;
    }
    if (!options()) {
      return null; // a basic or extended RE, or a literal: other rules, the server's call
    }
    int depth = 0;
    boolean operand = false; // whether a quantifier here has something to repeat
    while (at < pattern.length()) {
      char c = pattern.charAt(at);
      if (expanded && Character.isWhitespace(c)) {
        at++;
        continue;
      }
      if (expanded && c == '#') {
        int end = pattern.indexOf('\n', at);
        at = end < 0 ? pattern.length() : end + 1;
        continue;
      }
      switch (c) {
        case '\\' -> {
          if (at + 1 >= pattern.length()) {
            return "invalid escape \\ sequence";
          }
          at += 2;
          operand = true;
        }
        case '(' -> {
          if (pattern.startsWith("(?#", at)) {
            int end = pattern.indexOf(')', at);
            if (end < 0) {
              return null;
            }
            at = end + 1;
            continue;
          }
          at++;
          if (pattern.startsWith("?", at)) {
            String kind = groupKind();
            if (kind == null) {
              return null;
            }
            at += kind.length();
          }
          depth++;
          operand = false;
        }
        case ')' -> {
          if (--depth < 0) {
            return "parentheses () not balanced";
          }
          at++;
          operand = true;
        }
        case '|' -> {
          at++;
          operand = false;
        }
        case '*', '+', '?' -> {
          if (!operand) {
            return "quantifier operand invalid";
          }
          at++;
          nonGreedy();
        }
        case '{' -> {
          if (expanded || at + 1 >= pattern.length() || !isDigit(pattern.charAt(at + 1))) {
            at++; // a plain brace
            operand = true;
            continue;
          }
          if (!operand) {
            return "quantifier operand invalid";
          }
          String bound = bound();
          if (bound != null) {
            return bound;
          }
          nonGreedy();
        }
        case '[' -> {
          String bracket = bracket();
          if (bracket != null) {
            return bracket.isEmpty() ? null : bracket;
          }
          operand = true;
        }
        default -> {
          at++;
          operand = true;
        }
      }
    }
    return depth > 0 ? "parentheses () not balanced" : null;
  }

  /**
   * Embedded options at the start, {@code (?xyz)}: false when they make the pattern something
   * other than an ARE (b, e, q) or are not options at all.
   */
  private boolean options() {
    if (!pattern.startsWith("(?", at) || at + 2 >= pattern.length()
        || !Character.isLetter(pattern.charAt(at + 2))) {
      return true;
    }
    int end = pattern.indexOf(')', at);
    if (end < 0) {
      return false;
    }
    String letters = pattern.substring(at + 2, end);
    if (!letters.matches("[cimnpstwx]+")) {
      return false;
    }
    expanded = letters.lastIndexOf('x') > letters.lastIndexOf('t');
    at = end + 1;
    return true;
  }

  /** After {@code (}: the rest of {@code (?: (?= (?! (?<= (?<!}, or null for anything else. */
  private String groupKind() {
    for (String kind : new String[] {"?:", "?=", "?!", "?<=", "?<!"}) {
      if (pattern.startsWith(kind, at)) {
        return kind;
      }
    }
    return null;
  }

  private void nonGreedy() {
    if (pattern.startsWith("?", at)) {
      at++;
    }
  }

  /** {@code {m}}, {@code {m,}} or {@code {m,n}}, with m ≤ n ≤ 255; at points at the brace. */
  private String bound() {
    at++;
    int low = number();
    int high = low;
    if (pattern.startsWith(",", at)) {
      at++;
      high = at < pattern.length() && isDigit(pattern.charAt(at)) ? number() : MOST_REPETITIONS;
    }
    if (at >= pattern.length()) {
      return "braces {} not balanced";
    }
    if (pattern.charAt(at) != '}') {
      return "invalid repetition count(s)";
    }
    at++;
    return low > MOST_REPETITIONS || high > MOST_REPETITIONS || low > high
        ? "invalid repetition count(s)"
        : null;
  }

  /** Decimal digits, read as far as they go; past the largest count, any larger number. */
  private int number() {
    long value = 0;
    while (at < pattern.length() && isDigit(pattern.charAt(at))) {
      value = Math.min(value * 10 + (pattern.charAt(at) - '0'), Integer.MAX_VALUE);
      at++;
    }
    return (int) value;
  }

  /**
   * A bracket expression: null when it closes, its mistake when it never does, an empty string
   * when only the server can tell.
   */
  private String bracket() {
    int i = at + 1;
    if (pattern.startsWith("^", i)) {
      i++;
    }
    if (pattern.startsWith("]", i)) {
      i++; // a literal ] first
    }
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == ']') {
        at = i + 1;
        return null;
      }
      if (c == '[' && i + 1 < pattern.length() && ":.=".indexOf(pattern.charAt(i + 1)) >= 0) {
        int end = pattern.indexOf(pattern.charAt(i + 1) + "]", i + 2);
        if (end < 0) {
          return "";
        }
        i = end + 2;
      } else if (c == '\\') {
        i += 2; // in an ARE, an escape here too
      } else {
        i++;
      }
    }
    return "brackets [] not balanced";
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
