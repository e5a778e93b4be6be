package dev.pgkill.run;

import java.util.List;
import java.util.stream.Stream;

/** What one rule's pass found and did. */
public record RuleResult(Rule rule, PassResult result) {
  /** Whether the rule chose any session, signalled or not. */
  public boolean chose() {
    return result.outcomes().map(o -> !o.outcomes().isEmpty()).orElse(false);
  }

  /** Whether a report always shows the rule: it chose something, or failed. */
  public boolean newsworthy() {
    return chose() || result.error().isPresent();
  }

  /** Whether it found what no signal ends but a DBA must know of: prepared transactions, slots. */
  public boolean foundHolders() {
    return !result.prepared().isEmpty() || !result.holders().isEmpty();
  }

  /**
   * What it found that no signal ends, by name only (not by age, which grows every pass): the same
   * names two passes running are the same news.
   */
  public List<String> holderNames() {
    return Stream.of(
            result.prepared().stream().map(p -> "prepared " + p.gid()),
            result.holders().prepared().stream().map(p -> "prepared " + p.gid()),
            result.holders().slots().stream().map(s -> "slot " + s.name()))
        .flatMap(s -> s)
        .toList();
  }
}
