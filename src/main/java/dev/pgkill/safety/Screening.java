package dev.pgkill.safety;

import dev.pgkill.select.Found;
import dev.pgkill.select.Found.Mismatch;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The targets in the order the user gave them, each cleared or refused. */
public record Screening(List<Screened> targets) {
  public Screening {
    targets = List.copyOf(targets);
  }

  public List<Cleared> cleared() {
    return targets.stream().filter(Cleared.class::isInstance).map(Cleared.class::cast).toList();
  }

  /**
   * This screening after the prompt, given the cleared sessions looked up {@code again} by PID with
   * the same filters: a cleared target stays cleared only while the same backend still matches. One
   * that now fails a filter is refused as not matching, with its row as it is now and the filter it
   * fails; one whose backend has exited is gone, and one whose PID now belongs to another backend
   * was replaced.
   */
  public Screening keepOnly(Found again) {
    Map<Integer, Session> matching =
        again.sessions().stream().collect(Collectors.toMap(Session::pid, Function.identity()));
    return new Screening(
        targets.stream()
            .map(s -> s instanceof Cleared c ? recheck(c, matching, again.mismatches()) : s)
            .toList());
  }

  private static Screened recheck(
      Cleared cleared, Map<Integer, Session> matching, Map<Integer, Mismatch> mismatches) {
    Target target = cleared.target();
    Session inspected = cleared.session();
    Session match = matching.get(inspected.pid());
    Mismatch mismatch = mismatches.get(inspected.pid());
    Session now = match != null ? match : mismatch == null ? null : mismatch.session();
    if (now == null) {
      return new Refused(target, inspected, Refusal.GONE);
    }
    if (!inspected.identifiable() || !now.identifiable()) {
      return new Refused(target, inspected, Refusal.NOT_MATCHED);
    }
    if (!inspected.id().equals(now.id())) {
      return new Refused(target, inspected, Refusal.REPLACED);
    }
    return match != null
        ? cleared
        : new Refused(target, now, Refusal.NOT_MATCHED, Optional.of(mismatch.why()));
  }
}
