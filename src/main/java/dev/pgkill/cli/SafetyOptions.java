package dev.pgkill.cli;

import dev.pgkill.run.Invocation;
import dev.pgkill.text.UsageError;
import picocli.CommandLine.Option;

/** The limits on what one run may signal, and who must agree to it. */
final class SafetyOptions {
  @Option(
      names = "--max",
      paramLabel = "N",
      order = HelpSections.SAFETY,
      description =
          "Refuse the whole run if more than N sessions would be signalled"
              + " (default: ${DEFAULT-VALUE}); a dry run still lists them.")
  int max = Invocation.DEFAULT_MAX;

  @Option(
      names = {"-y", "--yes"},
      order = HelpSections.SAFETY + 1,
      description =
          "Signal what a filter chose without asking. Without --yes pgkill asks on the"
              + " controlling terminal (/dev/tty), whatever standard input and output are, and with no"
              + " terminal at all (cron) refuses with exit status 5.")
  boolean yes;

  @Option(
      names = "--unverified",
      order = HelpSections.SAFETY + 2,
      description =
          "Also signal named PIDs whose backend_start pgkill's role cannot see (it lacks"
              + " pg_read_all_stats), checking only pid, user and database. Their type is hidden"
              + " too (one may be a parallel worker): add --backend-type any to take that risk.")
  boolean unverified;

  int max() {
    if (max < 1) {
      throw new UsageError("invalid --max \"" + max + "\": must be at least 1");
    }
    return max;
  }
}
