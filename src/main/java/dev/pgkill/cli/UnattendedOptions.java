package dev.pgkill.cli;

import dev.pgkill.report.MetricsAddress;
import dev.pgkill.select.Durations;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Runs with nobody at the keyboard: a policy file's rules, applied once (cron) or as a service. */
final class UnattendedOptions {
  @Option(
      names = "--policy",
      paramLabel = "FILE",
      order = HelpSections.UNATTENDED,
      description =
          "Apply the rules of this TOML file once, in file order, on one connection (one per"
              + " server with --server, --service or --servers); never prompts, and takes a lock (FILE.lock, or --lock) so that runs never overlap. A"
              + " rule's keys are the long names of the Action and Selection options, max and"
              + " reason.")
  Path policy;

  @Option(
      names = "--check",
      order = HelpSections.UNATTENDED + 1,
      description = "With --policy: check the file and exit, connecting to nothing.")
  boolean check;

  @Option(
      names = "--watch",
      paramLabel = "INTERVAL",
      order = HelpSections.UNATTENDED + 2,
      description =
          "Apply the policy's rules (or the command line's, with --yes) every INTERVAL until"
              + " SIGTERM or SIGINT, which stop it after the rule being applied (exit 0); SIGHUP"
              + " re-reads the policy. A lost server is retried with a growing wait; each of"
              + " several servers is watched on its own.")
  String watch;

  @Option(
      names = "--lock",
      paramLabel = "FILE",
      order = HelpSections.UNATTENDED + 3,
      description =
          "Hold an advisory lock on FILE for the run: a second run while it is held exits at"
              + " once with status 6, signalling nothing.")
  Path lock;

  @Option(
      names = "--rehearse",
      paramLabel = "FILE",
      order = HelpSections.UNATTENDED + 4,
      description =
          "Signal nothing: show what the selection options (or each rule of --policy) would have"
              + " chosen from the sessions pgkill --list -o json recorded in FILE, each snapshot"
              + " as the server saw it when recorded (ages from its captured_at), as -l shows"
              + " them. The server connected to matches patterns and times. --blockers,"
              + " --waiting-longer-than, --xmin-older-than and --prepared-older-than need the live"
              + " server and are refused.")
  Path rehearse;

  /** --watch: how long from the start of one pass to the start of the next. */
  Optional<Duration> interval() {
    if (watch == null) {
      return Optional.empty();
    }
    Duration interval = Durations.parse("--watch", watch);
    if (interval.isZero()) {
      throw new UsageError("invalid --watch " + SafeText.quoted(watch) + ": must be more than 0");
    }
    return Optional.of(interval);
  }

  /** The lock a run takes: --lock, else one beside the policy; none for a command line alone. */
  Optional<Path> lockFile() {
    if (lock != null) {
      return Optional.of(lock);
    }
    return Optional.ofNullable(policy)
        .map(p -> p.resolveSibling(p.getFileName().toString() + ".lock"));
  }

  boolean requested() {
    return policy != null || watch != null || check || lock != null;
  }

  /** Where the watch serves its metrics: --metrics-port, which goes with --watch only. */
  Optional<MetricsAddress> metrics(MetricsOptions options) {
    Optional<MetricsAddress> address = options.address();
    if (address.isPresent() && watch == null) {
      throw new UsageError("--metrics-port goes with --watch");
    }
    return address;
  }
}
