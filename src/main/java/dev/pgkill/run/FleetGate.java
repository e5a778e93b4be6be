package dev.pgkill.run;

import dev.pgkill.run.PassResult.Withheld;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import dev.pgkill.text.Counted;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The one decision of a run over several servers: each server's pass stops before it signals until
 * every other pass has got as far or ended; then --max-total weighs all their choices together and
 * the person at the terminal is asked once, and every pass hears the same answer. A pass holds no
 * place among the {@code --parallel} while it waits, so that the others can get there.
 */
final class FleetGate {
  private final List<String> labels;
  private final Action action;
  private final Optional<Integer> maxTotal;
  private final Optional<Confirmation> asking;
  private final Semaphore places;
  private final Map<Integer, List<Session>> chosen = new LinkedHashMap<>();
  private final Set<Integer> ended = new HashSet<>();
  private boolean anyByFilter;
  private RunGate.Admission decision;

  /**
   * @param asking the confirmation that asks once for the run; empty when nobody is asked here
   */
  FleetGate(
      List<String> labels,
      Action action,
      Optional<Integer> maxTotal,
      Optional<Confirmation> asking,
      Semaphore places) {
    this.labels = List.copyOf(labels);
    this.action = action;
    this.maxTotal = maxTotal;
    this.asking = asking;
    this.places = places;
  }

  /** Whether the passes must wait for each other at all. */
  private boolean holds() {
    return maxTotal.isPresent() || asking.isPresent();
  }

  /** The gate of the {@code index}th server's pass. */
  RunGate forServer(int index) {
    if (!holds()) {
      return RunGate.OPEN;
    }
    return (sessions, byFilter) -> admit(index, sessions, byFilter);
  }

  /** The {@code index}th server's pass is over: it will not come to the gate, if it has not. */
  synchronized void ended(int index) {
    if (!chosen.containsKey(index)) {
      ended.add(index);
      decideWhenAllAreHere();
    }
  }

  private RunGate.Admission admit(int index, List<Session> sessions, boolean byFilter) {
    places.release();
    RunGate.Admission admission;
    synchronized (this) {
      chosen.put(index, List.copyOf(sessions));
      anyByFilter |= byFilter;
      decideWhenAllAreHere();
      while (decision == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          decision =
              RunGate.Admission.refused(
                  "interrupted while waiting for the other servers; nothing was signalled",
                  Withheld.Why.NOT_CONFIRMED);
          notifyAll();
        }
      }
      admission = decision;
    }
    places.acquireUninterruptibly();
    return admission;
  }

  private void decideWhenAllAreHere() {
    if (decision != null || chosen.size() + ended.size() < labels.size()) {
      return;
    }
    decision = decide();
    notifyAll();
  }

  /** Why the run's one decision refused every pass, once it has been made and did. */
  synchronized Optional<String> refusal() {
    return decision == null ? Optional.empty() : decision.refusal();
  }

  private RunGate.Admission decide() {
    int total = chosen.values().stream().mapToInt(List::size).sum();
    if (maxTotal.isPresent() && total > maxTotal.get()) {
      return RunGate.Admission.refused(
          "refusing to "
              + action.verb()
              + " "
              + total
              + " sessions on "
              + Counted.of(chosen.size(), "server")
              + ": more than --max-total "
              + maxTotal.get()
              + "; nothing was signalled",
          Withheld.Why.OVER_MAX);
    }
    if (asking.isEmpty() || !anyByFilter) {
      return RunGate.Admission.GO;
    }
    Map<String, List<Session>> byServer = new LinkedHashMap<>();
    List<Integer> order = new ArrayList<>(chosen.keySet());
    order.sort(null);
    for (int index : order) {
      // Two entries may name the same label: the prompt keeps each apart.
      String label = labels.get(index);
      byServer.put(
          byServer.containsKey(label) ? label + " #" + (index + 1) : label, chosen.get(index));
    }
    return asking.get().confirmAll(action, byServer)
        ? RunGate.Admission.CONFIRMED
        : RunGate.Admission.refused(
            "not confirmed: nothing was signalled", Withheld.Why.NOT_CONFIRMED);
  }
}
