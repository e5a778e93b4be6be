package dev.pgkill.report;

import dev.pgkill.select.LockGraph;
import dev.pgkill.select.LockGraph.Blocked;
import java.util.ArrayList;
import java.util.List;

/**
 * With --blockers, the lines under a listed session: the lock cycle it stands in, then the sessions
 * queued behind it, indented as they queue, each with the lock it waits for.
 */
final class LockTree {
  private final LockGraph locks;
  private final int width;

  /**
   * @param width the terminal's width, or 0 when unknown
   */
  LockTree(LockGraph locks, int width) {
    this.locks = locks;
    this.width = width;
  }

  /** The lock cycle a session stands for, then the sessions queued behind it. */
  List<String> below(int pid) {
    List<String> lines = new ArrayList<>();
    List<Integer> cycle = locks.cycleOf(pid);
    if (!cycle.isEmpty()) {
      StringBuilder line = new StringBuilder("  ↻ lock cycle: " + pid);
      for (int i = 1; i < cycle.size(); i++) {
        line.append(i == 1 ? " waits for " : ", which waits for ").append(cycle.get(i));
      }
      lines.add(line + ", which waits for " + pid + "; ending " + pid + " breaks it");
    }
    lines.addAll(tree(locks.blockedBy(pid), "  "));
    return lines;
  }

  /** The sessions queued behind one, a line each, indented as they queue. */
  private List<String> tree(List<Blocked> blocked, String indent) {
    List<String> lines = new ArrayList<>();
    for (Blocked b : blocked) {
      String line =
          indent
              + "└─ "
              + b.waiter().pid()
              + "  "
              + Cells.text(b.waiter().user())
              + "  waiting "
              + Cells.age(b.waiter().waiting())
              + (b.waiter().lock() == null
                  ? ""
                  : " for " + Cells.text(b.waiter().lock().described()))
              + "  ";
      int queryWidth = Table.queryWidth(width, DisplayWidth.of(line));
      lines.add(line + Cells.cut(b.waiter().query(), queryWidth));
      lines.addAll(tree(b.blocks(), indent + "   "));
    }
    return lines;
  }
}
