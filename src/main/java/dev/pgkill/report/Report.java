package dev.pgkill.report;

import dev.pgkill.signal.Action;
import dev.pgkill.signal.Outcome;
import java.util.List;

/** Tells the user what happened. Formats only: every decision was made before it is called. */
public interface Report {
  /** One entry per target, in the order the user named them, then a summary. */
  void outcomes(Action action, List<Outcome> outcomes);

  /** A failure outside any target, one line, on standard error. */
  void error(String message);
}
