package dev.pgkill.run;

import dev.pgkill.connect.Connected;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Applies every rule of a policy once, in file order, on one connection: each rule is one pass, so
 * a rule is selected, screened, signalled and reported exactly as the same command line would be.
 */
public final class PolicyPass {
  private final Pgkill pgkill;

  public PolicyPass(Pgkill pgkill) {
    this.pgkill = pgkill;
  }

  /**
   * @param stopping asked before each rule: a service being stopped finishes the rule it is in,
   *     never starts the next
   */
  public PolicyResult apply(Connected connected, Policy policy, BooleanSupplier stopping) {
    return apply(connected, policy, stopping, (done, rule) -> PassProgress.NONE);
  }

  /** What a rule's pass tells while it runs, knowing the rules applied before it. */
  @FunctionalInterface
  public interface Progress {
    PassProgress of(List<RuleResult> done, Rule rule);
  }

  /**
   * As {@link #apply(Connected, Policy, BooleanSupplier)}, each rule's pass telling {@code
   * progress}.
   */
  public PolicyResult apply(
      Connected connected, Policy policy, BooleanSupplier stopping, Progress progress) {
    List<RuleResult> results = new ArrayList<>();
    for (Rule rule : policy.rules()) {
      if (stopping.getAsBoolean()) {
        break;
      }
      PassResult result =
          pgkill.pass(connected, rule.invocation(), progress.of(List.copyOf(results), rule));
      results.add(new RuleResult(rule, result));
      if (result.status() == ExitStatus.FATAL && closed(connected)) {
        return new PolicyResult(results, true);
      }
    }
    return new PolicyResult(results, false);
  }

  /** pgjdbc closes a connection whose socket failed: the rules left would only fail too. */
  private static boolean closed(Connected connected) {
    try {
      return connected.connection().isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
