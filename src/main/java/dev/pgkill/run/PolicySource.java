package dev.pgkill.run;

/**
 * Where a watch finds its rules again when it is told to re-read them (SIGHUP): a file whose new
 * contents are checked as a whole before they replace the rules being applied.
 */
@FunctionalInterface
public interface PolicySource {
  /**
   * Reads and checks the rules.
   *
   * @throws dev.pgkill.text.UsageError naming the file, line and rule, if any of it is wrong
   */
  Policy load();
}
