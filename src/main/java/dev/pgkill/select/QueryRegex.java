package dev.pgkill.select;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;

/**
 * The mistakes in a {@code --query} pattern that no reading of it forgives, found before
 * connecting, so that they are usage errors even when the server is out of reach: unbalanced
 * parentheses or brackets, a quantifier with nothing to repeat, a bad {@code {m,n}} bound, a
 * trailing backslash. The pattern is a PostgreSQL advanced regular expression (ARE), with its
 * {@code \m \M \y [[:<:]]} and the rest: anything this check is not sure of, the server judges (an
 * invalid_regular_expression from it is a usage error too), so this never refuses what PostgreSQL
 * accepts. The words are PostgreSQL's.
 */
public final class QueryRegex {
  /** RE_DUP_MAX: the largest count a bound may give. */
  private static final int MOST_REPETITIONS = 255;

  private final String pattern;
  private int at;
  private boolean expanded;

  /** How many groups are open at {@code at}. */
  private int depth;

  /** Whether a quantifier at {@code at} has something to repeat. */
  private boolean operand;

  private QueryRegex(String pattern) {
    this.pattern = pattern;
  }

  /** Refuses a pattern that is surely wrong, naming the mistake as PostgreSQL does. */
  public static void check(String pattern) {
    check("--query", pattern);
  }

  /** As {@link #check(String)}, for the option {@code option} (--query, --not-query). */
  public static void check(String option, String pattern) {
    String mistake = new QueryRegex(pattern).mistake();
    if (mistake != null) {
      throw new UsageError(
          "invalid " + option + " regular expression " + SafeText.quoted(pattern) + ": " + mistake);
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
    while (at < pattern.length()) {
      String mistake = skipped() ? null : next(pattern.charAt(at));
      if (mistake != null) {
        return mistake.isEmpty() ? null : mistake;
      }
    }
    return depth > 0 ? "parentheses () not balanced" : null;
  }

  /** In expanded syntax, white space and {@code #} comments: whether one was skipped. */
  private boolean skipped() {
    if (!expanded) {
      return false;
    }
    char c = pattern.charAt(at);
    if (Character.isWhitespace(c)) {
      at++;
      return true;
    }
    if (c == '#') {
      int end = pattern.indexOf('\n', at);
      at = end < 0 ? pattern.length() : end + 1;
      return true;
    }
    return false;
  }

  /**
   * Reads what starts at {@code c}: null to read on, its mistake, or an empty string when only the
   * server can tell.
   */
  private String next(char c) {
    return switch (c) {
      case '\\' -> at + 1 >= pattern.length() ? "invalid escape \\ sequence" : step(2, true);
      case '(' -> group();
      case ')' -> --depth < 0 ? "parentheses () not balanced" : step(1, true);
      case '|' -> step(1, false);
      case '*', '+', '?' -> operand ? quantifier() : "quantifier operand invalid";
      case '{' -> brace();
      case '[' -> bracket();
      default -> step(1, true);
    };
  }

  /** Past {@code length} characters, after which a quantifier has something to repeat or not. */
  private String step(int length, boolean repeatable) {
    at += length;
    operand = repeatable;
    return null;
  }

  private String quantifier() {
    at++;
    nonGreedy();
    return null;
  }

  /** A group or a comment, at an opening parenthesis. */
  private String group() {
    if (pattern.startsWith("(?#", at)) {
      int end = pattern.indexOf(')', at);
      if (end < 0) {
        return "";
      }
      at = end + 1;
      return null;
    }
    at++;
    if (pattern.startsWith("?", at)) {
      String kind = groupKind();
      if (kind == null) {
        return "";
      }
      at += kind.length();
    }
    depth++;
    operand = false;
    return null;
  }

  /** A bound, or a plain brace when no digit follows it (or in expanded syntax). */
  private String brace() {
    if (expanded || at + 1 >= pattern.length() || !isDigit(pattern.charAt(at + 1))) {
      at++; // a plain brace
      operand = true;
      return null;
    }
    if (!operand) {
      return "quantifier operand invalid";
    }
    String bound = bound();
    if (bound == null) {
      nonGreedy();
    }
    return bound;
  }

  /**
   * Embedded options at the start, {@code (?xyz)}: false when they make the pattern something other
   * than an ARE (b, e, q) or are not options at all.
   */
  private boolean options() {
    if (!pattern.startsWith("(?", at)
        || at + 2 >= pattern.length()
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
   * A bracket expression: null when it closes, its mistake when it never does, an empty string when
   * only the server can tell.
   */
  private String bracket() {
    int end = BracketExpression.end(pattern, at);
    if (end == BracketExpression.NEVER_CLOSES) {
      return "brackets [] not balanced";
    }
    if (end == BracketExpression.SERVERS_CALL) {
      return "";
    }
    at = end;
    operand = true;
    return null;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
