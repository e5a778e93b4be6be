package dev.pgkill;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.report.OutputOptions;
import dev.pgkill.select.Selection;
import dev.pgkill.signal.Action;

/**
 * Everything one run of pgkill was asked to do, parsed and checked: the value {@code cli} hands to
 * the rest of the program, which never sees picocli.
 *
 * @param action what to do to the targets; with {@link Mode#LIST}, nothing is done
 * @param max the most sessions one run may signal; more refuses the whole run
 * @param unverified signal sessions whose backend_start is hidden from pgkill's role, too
 */
public record Invocation(
    Mode mode,
    Action action,
    Selection selection,
    int max,
    boolean unverified,
    ConnectionRequest connection,
    OutputOptions output) {

  public static final int DEFAULT_MAX = 100;

  /** Whether the run signals, only shows what it would signal, or only lists. */
  public enum Mode {
    SIGNAL,
    DRY_RUN,
    LIST
  }

  public static Invocation signal(Action action, Selection selection, ConnectionRequest connection) {
    return new Invocation(
        Mode.SIGNAL, action, selection, DEFAULT_MAX, false, connection, new OutputOptions(false, 0));
  }
}
