package dev.pgkill.run;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.report.OutputOptions;
import dev.pgkill.select.Selection;
import dev.pgkill.signal.Action;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything one run of pgkill was asked to do, parsed and checked: the value {@code cli} hands to
 * the rest of the program, which never sees picocli.
 *
 * @param action what to do to the targets; with {@link Mode#LIST}, nothing is done
 * @param max the most sessions one run may signal; more refuses the whole run
 * @param unverified signal sessions whose backend_start is hidden from pgkill's role, too
 * @param waitFor --wait: how long to wait for each signal to really end the query or session
 * @param escalate --escalate: how long a cancel gets before a terminate follows it
 * @param rule the policy rule this pass applies; empty on the command line
 * @param reason why, in the user's words ({@code --reason}, a rule's {@code reason}): for the audit
 */
public record Invocation(
    Mode mode,
    Action action,
    Selection selection,
    int max,
    boolean unverified,
    Optional<Duration> waitFor,
    Optional<Duration> escalate,
    ConnectionRequest connection,
    OutputOptions output,
    Optional<String> rule,
    Optional<String> reason) {

  public static final int DEFAULT_MAX = 100;

  /** --wait and --escalate without a value. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  /**
   * The longest wait: pg_terminate_backend truncates its timeout to 32 bits, so a longer one would
   * fail (2147483648) or silently not wait at all (4294967296).
   */
  public static final Duration LONGEST_WAIT = Duration.ofMillis(Integer.MAX_VALUE);

  /** How long to wait after the last signal: --wait, or its default when --escalate needs one. */
  public Optional<Duration> finalWait() {
    return waitFor.isPresent() || escalate.isEmpty() ? waitFor : Optional.of(DEFAULT_WAIT);
  }

  /** This invocation as the policy rule {@code name} asks for it, with the rule's reason. */
  public Invocation withRule(String name, Optional<String> reason) {
    return new Invocation(
        mode,
        action,
        selection,
        max,
        unverified,
        waitFor,
        escalate,
        connection,
        output,
        Optional.of(name),
        reason);
  }

  /** Whether the run signals, only shows what it would signal, or only lists. */
  public enum Mode {
    SIGNAL,
    DRY_RUN,
    LIST
  }

  public static Invocation signal(
      Action action, Selection selection, ConnectionRequest connection) {
    return new Invocation(
        Mode.SIGNAL,
        action,
        selection,
        DEFAULT_MAX,
        false,
        Optional.empty(),
        Optional.empty(),
        connection,
        new OutputOptions(false, 0),
        Optional.empty(),
        Optional.empty());
  }
}
