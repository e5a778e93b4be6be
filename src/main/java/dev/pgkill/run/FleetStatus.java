package dev.pgkill.run;

import java.util.List;

/**
 * The exit status of a run over several servers, from each server's: 3 when none could be reached
 * (or each failed outside any target); 5 when the run was refused and nothing was signalled
 * anywhere; 4 when some servers or some targets failed; 0 when every server was reached and every
 * target signalled (with --list: something was listed); else 1.
 */
final class FleetStatus {
  private FleetStatus() {}

  static ExitStatus of(List<ExitStatus> servers) {
    if (servers.stream().allMatch(s -> s == ExitStatus.FATAL)) {
      return ExitStatus.FATAL;
    }
    boolean done = servers.stream().anyMatch(s -> s == ExitStatus.OK || s == ExitStatus.PARTIAL);
    if (!done && servers.contains(ExitStatus.REFUSED)) {
      return ExitStatus.REFUSED;
    }
    if (servers.contains(ExitStatus.FATAL)
        || servers.contains(ExitStatus.PARTIAL)
        || servers.contains(ExitStatus.REFUSED)) {
      return ExitStatus.PARTIAL;
    }
    return done ? ExitStatus.OK : ExitStatus.NOTHING_DONE;
  }
}
