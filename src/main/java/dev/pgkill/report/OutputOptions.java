package dev.pgkill.report;

/**
 * How the user wants to be told.
 *
 * @param quiet nothing on standard output; errors still go to standard error
 * @param verbosity 0 silent, 1 ({@code -v}) what happens, 2 ({@code -vv}) the SQL as well
 * @param colour whether the text report may use colour
 * @param width the terminal's width in columns, or 0 when standard output is no terminal
 * @param columns the text table's columns
 * @param count with --count: only the number of sessions listed
 */
public record OutputOptions(
    Format format,
    boolean quiet,
    int verbosity,
    boolean colour,
    int width,
    TableColumns columns,
    boolean count) {

  public OutputOptions(boolean quiet, int verbosity) {
    this(Format.TEXT, quiet, verbosity, false, 0);
  }

  /** The default table, listing sessions rather than counting them. */
  public OutputOptions(Format format, boolean quiet, int verbosity, boolean colour, int width) {
    this(format, quiet, verbosity, colour, width, TableColumns.DEFAULT, false);
  }

  /** The {@code --output} formats. */
  public enum Format {
    TEXT,
    JSON,
    PID,
    ID
  }
}
