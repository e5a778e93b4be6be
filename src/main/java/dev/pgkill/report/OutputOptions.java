package dev.pgkill.report;

/**
 * How the user wants to be told.
 *
 * @param quiet nothing on standard output; errors still go to standard error
 * @param verbosity 0 silent, 1 ({@code -v}) what happens, 2 ({@code -vv}) the SQL as well
 * @param colour whether the text report may use colour
 * @param width the terminal's width in columns, or 0 when standard output is no terminal
 */
public record OutputOptions(
    Format format, boolean quiet, int verbosity, boolean colour, int width) {

  public OutputOptions(boolean quiet, int verbosity) {
    this(Format.TEXT, quiet, verbosity, false, 0);
  }

  /** The {@code --output} formats. */
  public enum Format {
    TEXT,
    JSON,
    PID,
    ID
  }
}
