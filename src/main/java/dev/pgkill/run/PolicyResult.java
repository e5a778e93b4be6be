package dev.pgkill.run;

import dev.pgkill.report.Report;
import dev.pgkill.signal.Outcome;
import java.util.List;

/**
 * What one application of a policy's rules found and did, rule by rule in file order.
 *
 * @param lostServer whether the connection was lost on the way: the rules after it were not
 *     applied, and the next pass must connect again
 */
public record PolicyResult(List<RuleResult> rules, boolean lostServer) {
  public PolicyResult {
    rules = List.copyOf(rules);
  }

  /**
   * The status of the whole run, the worst over its rules: a failure outside any target, then a
   * refusal, then the targets of every rule counted together, so that one rule that signalled all
   * it chose and one that chose nothing make a success.
   */
  public ExitStatus status() {
    if (lostServer || rules.stream().anyMatch(r -> r.result().status() == ExitStatus.FATAL)) {
      return ExitStatus.FATAL;
    }
    if (rules.stream().anyMatch(r -> r.result().status() == ExitStatus.REFUSED)) {
      return ExitStatus.REFUSED;
    }
    return ExitStatus.of(outcomes());
  }

  /** Every rule's outcomes, in order. */
  public List<Outcome> outcomes() {
    return rules.stream()
        .flatMap(r -> r.result().outcomes().stream())
        .flatMap(o -> o.outcomes().stream())
        .toList();
  }

  /** How many sessions were signalled, counting an escalation's terminate apart. */
  public long signalled() {
    return outcomes().stream()
        .flatMap(
            o ->
                o.escalation().isPresent()
                    ? java.util.stream.Stream.of(o, o.escalation().get())
                    : java.util.stream.Stream.of(o))
        .filter(o -> o.result() == Outcome.Result.SIGNALLED)
        .count();
  }

  /**
   * Each rule that chose something, failed, or found what no signal ends (prepared transactions,
   * replication slots), under its name; with {@code everything}, the rules that found nothing too.
   * A cron job that found nothing prints nothing, so cron mails nothing.
   */
  public void render(Report report, boolean everything) {
    render(report, rule -> everything || rule.foundHolders());
  }

  /**
   * Each rule that chose something or failed, and those {@code alsoShown} picks, under its name.
   */
  public void render(Report report, java.util.function.Predicate<RuleResult> alsoShown) {
    for (RuleResult rule : rules) {
      if (rule.newsworthy() || alsoShown.test(rule)) {
        report.rule(rule.rule().name(), rule.rule().reason());
        rule.result().render(report);
      }
    }
  }
}
