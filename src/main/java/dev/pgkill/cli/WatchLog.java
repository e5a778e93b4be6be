package dev.pgkill.cli;

import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.Report;
import dev.pgkill.run.FleetServer;
import dev.pgkill.run.Policy;
import dev.pgkill.run.PolicyResult;
import dev.pgkill.run.WatchEvents;
import dev.pgkill.text.SafeText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a watch prints. A service's output is its journal: at the default verbosity only what a
 * person must act on or know of — what was signalled or failed, a lost server, a refused reload —
 * and at {@code -v} one summary line per pass too.
 */
final class WatchLog implements WatchEvents {
  private final Report base;
  private final PrintWriter err;
  private final int verbosity;
  private final Optional<FleetServer> server;
  private Report report;
  private boolean wasConnected;
  private boolean troubled;
  private final Map<String, List<String>> holders = new HashMap<>();

  WatchLog(Report report, PrintWriter err, int verbosity) {
    this(report, err, verbosity, Optional.empty());
  }

  /**
   * @param server the one server, of several each watched on its own, this log is about: each of
   *     its lines names it
   */
  WatchLog(Report report, PrintWriter err, int verbosity, Optional<FleetServer> server) {
    this.base = report;
    this.err = err;
    this.verbosity = verbosity;
    this.server = server;
    this.report = server.map(s -> report.on(s.tag(Optional.empty()))).orElse(report);
  }

  /** Where the metrics are served, which a port 0 or a busy machine makes worth saying. */
  void serving(String address) {
    if (verbosity > 0) {
      line("", "serving metrics at /metrics on " + address);
    }
  }

  @Override
  public void connected(ServerIdentity identity) {
    server.ifPresent(s -> report = base.on(s.tag(Optional.of(identity))));
    if ((wasConnected && troubled) || verbosity > 0) {
      line("", (wasConnected ? "connected again to " : "connected to ") + identity);
    }
    wasConnected = true;
    troubled = false;
  }

  @Override
  public void unreachable(String message, Duration retryIn) {
    troubled = true;
    if (retryIn == null) {
      line("error: ", "cannot connect: " + message + "; fix the settings and start again");
      return;
    }
    line("warning: ", "cannot connect: " + message + "; trying again in " + seconds(retryIn));
  }

  @Override
  public void lost(String message, Duration retryIn) {
    troubled = true;
    line(
        "warning: ",
        "lost the server: "
            + message
            + (retryIn.isZero()
                ? "; connecting again"
                : "; connecting again in " + seconds(retryIn)));
  }

  @Override
  public void passed(long pass, PolicyResult result, Duration took) {
    // Several servers' watches print side by side: one pass's lines stay together.
    synchronized (err) {
      shown(pass, result, took);
    }
  }

  private void shown(long pass, PolicyResult result, Duration took) {
    // What no signal ends is shown when it changes, not again at every pass.
    result.render(
        report,
        rule -> {
          List<String> names = rule.holderNames();
          List<String> before = holders.put(rule.rule().name(), names);
          return verbosity > 1 || (!names.isEmpty() && !names.equals(before));
        });
    if (verbosity > 0) {
      line(
          "",
          "pass "
              + pass
              + ": "
              + result.rules().size()
              + (result.rules().size() == 1 ? " rule, " : " rules, ")
              + result.signalled()
              + " signalled, status "
              + result.status().code()
              + " ("
              + took.toMillis()
              + " ms)");
    }
  }

  @Override
  public void reloaded(Policy policy) {
    line(
        "",
        "re-read policy "
            + SafeText.path(policy.source())
            + ": "
            + policy.rules().size()
            + (policy.rules().size() == 1 ? " rule" : " rules"));
  }

  @Override
  public void reloadRefused(String message) {
    line("error: ", message + "; the rules in use stay");
  }

  @Override
  public void stopped(long passes) {
    if (verbosity > 0) {
      line("", "stopped after " + passes + (passes == 1 ? " pass" : " passes"));
    }
  }

  /** {@code pgkill: warning: db1: text}: the level, then the server when there are several. */
  private void line(String level, String text) {
    synchronized (err) {
      err.println(
          "pgkill: "
              + level
              + server.map(s -> SafeText.oneLine(s.label()) + ": ").orElse("")
              + text);
      err.flush();
    }
  }

  private static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
  }
}
