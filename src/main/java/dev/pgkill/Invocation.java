package dev.pgkill;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.report.OutputOptions;
import dev.pgkill.select.Selection;
import dev.pgkill.signal.Action;

/**
 * Everything one run of pgkill was asked to do, parsed and checked: the value {@code cli} hands to
 * the rest of the program, which never sees picocli.
 */
public record Invocation(
    Action action, Selection selection, ConnectionRequest connection, OutputOptions output) {}
