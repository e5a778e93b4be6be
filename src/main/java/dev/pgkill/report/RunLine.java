package dev.pgkill.report;

import dev.pgkill.text.Counted;
import dev.pgkill.text.SafeText;
import java.util.List;

/**
 * The last line of the text report of a run over several servers: {@code all 3 servers: 2 reached,
 * 1 not (db3); cancel: 4 of 4 targets signalled}; after a policy's rules, {@code policy: 4 of 4
 * targets signalled}.
 */
final class RunLine {
  private RunLine() {}

  static String of(RunSummary run) {
    String line =
        "all "
            + Counted.of(run.servers(), "server")
            + ": "
            + run.reached()
            + " reached"
            + (run.unreachable().isEmpty()
                ? ""
                : ", " + run.unreachable().size() + " not (" + names(run.unreachable()) + ")")
            + (run.refused().isEmpty() ? "" : ", refused on " + names(run.refused()));
    String body =
        run.asked()
            .map(
                asked ->
                    run.policy()
                        ? Summary.ofPolicy(asked, run.outcomes())
                        : Summary.of(asked, run.outcomes()))
            .orElse(Counted.of(run.sessions().size(), "session"));
    return line + "; " + body;
  }

  private static String names(List<String> labels) {
    return String.join(", ", labels.stream().map(SafeText::oneLine).toList());
  }
}
