package dev.pgkill.report;

/**
 * How the user wants to be told.
 *
 * @param quiet nothing on standard output; errors still go to standard error
 * @param verbosity 0 silent, 1 ({@code -v}) what happens, 2 ({@code -vv}) the SQL as well
 */
public record OutputOptions(boolean quiet, int verbosity) {}
