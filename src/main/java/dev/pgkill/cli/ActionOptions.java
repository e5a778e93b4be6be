package dev.pgkill.cli;

import dev.pgkill.run.Invocation;
import dev.pgkill.select.Durations;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What to do to the sessions chosen, like kill's signal: cancel, terminate, or only list. */
final class ActionOptions {
  @Option(
      names = {"-c", "--cancel"},
      order = HelpSections.ACTION,
      description = "Cancel the running query (pg_cancel_backend); the session stays.")
  boolean cancel;

  @Option(
      names = {"-t", "--terminate"},
      order = HelpSections.ACTION + 1,
      description = "Terminate the session (pg_terminate_backend).")
  boolean terminate;

  @Option(
      names = {"-l", "--list"},
      order = HelpSections.ACTION + 2,
      description =
          "Only list the matching sessions, like pgrep; signal nothing. With no"
              + " selection, every client backend (or every backend of the --backend-type given).")
  boolean list;

  @Option(
      names = {"-n", "--dry-run"},
      order = HelpSections.ACTION + 3,
      description =
          "With -c or -t: show what would be signalled, and what the server would"
              + " refuse and why (predicted from pgkill's role and each target's); signal nothing.")
  boolean dryRun;

  @Option(
      names = "--wait",
      arity = "0..1",
      paramLabel = "TIMEOUT",
      order = HelpSections.ACTION + 4,
      parameterConsumer = OptionalDuration.class,
      description =
          "After signalling, wait until each target's query (-c) or session (-t) has"
              + " really ended, up to TIMEOUT (default 10s); report cancelled, terminated, or still"
              + " running. Stopped while waiting (SIGINT, SIGTERM), pgkill still prints what it"
              + " signalled, then exits 130 or 143.")
  String wait;

  @Option(
      names = "--escalate",
      arity = "0..1",
      paramLabel = "GRACE",
      order = HelpSections.ACTION + 5,
      parameterConsumer = OptionalDuration.class,
      description =
          "With -c: terminate the sessions still running the same query, or still idle"
              + " in the same transaction, GRACE (default 10s) after the cancel; then wait as --wait.")
  String escalate;

  @Option(
      names = "--count",
      order = HelpSections.ACTION + 6,
      description =
          "Only count the matching sessions, like pgrep -c: print the number (with -o"
              + " json, the summary object of a listing); -l is implied. Exit status as -l.")
  boolean count;

  /** --wait: how long to wait for each signal to end the query or session. */
  Optional<Duration> waitFor() {
    return duration("--wait", wait);
  }

  /** --escalate: how long a cancel gets before a terminate follows it. */
  Optional<Duration> escalateAfter() {
    return duration("--escalate", escalate);
  }

  /** An optional duration option: absent, given alone (its default), or given a duration. */
  private static Optional<Duration> duration(String option, String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.equals(OptionalDuration.DEFAULT)) {
      return Optional.of(Invocation.DEFAULT_WAIT);
    }
    Duration duration = Durations.parse(option, value);
    if (duration.compareTo(Invocation.LONGEST_WAIT) > 0) {
      throw new UsageError(
          "invalid "
              + option
              + " "
              + SafeText.quoted(value)
              + ": longer than "
              + Invocation.LONGEST_WAIT.toMillis()
              + "ms, the longest the server can wait");
    }
    return Optional.of(duration);
  }
}
