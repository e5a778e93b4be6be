package dev.pgkill.report;

import static dev.pgkill.report.Cells.text;

import dev.pgkill.select.HorizonHolders.PreparedHolder;
import dev.pgkill.select.HorizonHolders.SlotHolder;
import dev.pgkill.select.LockGraph.PreparedBlocker;
import dev.pgkill.select.SqlLiteral;
import java.util.stream.Collectors;

/**
 * The text report's line for what holds others up but is no session, so pgkill never signals it: a
 * prepared transaction in the way of locks or of vacuum, a replication slot holding back vacuum.
 */
final class HolderLines {
  private HolderLines() {}

  static String of(PreparedBlocker blocker) {
    return prepared(blocker.gid(), blocker.owner(), blocker.database())
        + " blocks "
        + blocker.blocks().stream().map(String::valueOf).collect(Collectors.joining(", "))
        + ": never signalled (no session to signal); end it with "
        + blocker.hint();
  }

  static String of(PreparedHolder holder) {
    return prepared(holder.gid(), holder.owner(), holder.database())
        + " holds back vacuum: its transaction is "
        + holder.xminAge()
        + " transactions old"
        + (holder.age() == null ? "" : ", prepared " + Cells.age(holder.age()) + " ago")
        + "; never signalled (no session to signal);"
        + " end it with "
        + holder.hint();
  }

  static String of(SlotHolder slot) {
    return "replication slot '"
        + text(slot.name())
        + "' ("
        + slot.type()
        + (slot.database() == null ? "" : ", database " + text(slot.database()))
        + (slot.activePid() == null ? ", inactive" : ", used by walsender " + slot.activePid())
        + ") holds back vacuum: its "
        + slot.horizon()
        + " is "
        + slot.xminAge()
        + " transactions old; never signalled (no session to signal); if nothing uses it any"
        + " more, drop it with "
        + text(slot.hint());
  }

  /** The gid as the literal the hint uses: escaped, and exact where SafeText would fold it. */
  private static String prepared(String gid, String owner, String database) {
    return "prepared transaction "
        + SqlLiteral.of(gid)
        + " (owner "
        + text(owner)
        + ", database "
        + text(database)
        + ")";
  }
}
