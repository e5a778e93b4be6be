package dev.pgkill.text;

/** A count and its noun as every message writes them: {@code 1 session}, {@code 3 sessions}. */
public final class Counted {
  private Counted() {}

  /** {@code 1 session}, {@code 0 sessions}, {@code 3 sessions}: the noun takes an s. */
  public static String of(long count, String noun) {
    return of(count, noun, noun + "s");
  }

  /**
   * For a plural that is not the noun and an s, or words that agree with the count: {@code 1
   * query}, {@code 2 queries}; {@code 1 session waits}, {@code 2 sessions wait}.
   */
  public static String of(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }
}
