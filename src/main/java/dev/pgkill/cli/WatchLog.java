package dev.pgkill.cli;

import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.Report;
import dev.pgkill.run.Policy;
import dev.pgkill.run.PolicyResult;
import dev.pgkill.run.WatchEvents;
import dev.pgkill.text.SafeText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a watch prints. A service's output is its journal: at the default verbosity only what a
 * person must act on or know of — what was signalled or failed, a lost server, a refused reload —
 * and at {@code -v} one summary line per pass too.
 */
final class WatchLog implements WatchEvents {
  private final Report report;
  private final PrintWriter err;
  private final int verbosity;
  private boolean wasConnected;
  private boolean troubled;
  private final Map<String, List<String>> holders = new HashMap<>();

  WatchLog(Report report, PrintWriter err, int verbosity) {
    this.report = report;
    this.err = err;
    this.verbosity = verbosity;
  }

  /** Where the metrics are served, which a port 0 or a busy machine makes worth saying. */
  void serving(String address) {
    if (verbosity > 0) {
      line("serving metrics at /metrics on " + address);
    }
  }

  @Override
  public void connected(ServerIdentity server) {
    if ((wasConnected && troubled) || verbosity > 0) {
      line((wasConnected ? "connected again to " : "connected to ") + server);
    }
    wasConnected = true;
    troubled = false;
  }

  @Override
  public void unreachable(String message, Duration retryIn) {
    troubled = true;
    if (retryIn == null) {
      line("error: cannot connect: " + message + "; fix the settings and start again");
      return;
    }
    line("warning: cannot connect: " + message + "; trying again in " + seconds(retryIn));
  }

  @Override
  public void lost(String message, Duration retryIn) {
    troubled = true;
    line(
        "warning: lost the server: "
            + message
            + (retryIn.isZero()
                ? "; connecting again"
                : "; connecting again in " + seconds(retryIn)));
  }

  @Override
  public void passed(long pass, PolicyResult result, Duration took) {
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
        "re-read policy "
            + SafeText.path(policy.source())
            + ": "
            + policy.rules().size()
            + (policy.rules().size() == 1 ? " rule" : " rules"));
  }

  @Override
  public void reloadRefused(String message) {
    line("error: " + message + "; the rules in use stay");
  }

  @Override
  public void stopped(long passes) {
    if (verbosity > 0) {
      line("stopped after " + passes + (passes == 1 ? " pass" : " passes"));
    }
  }

  private void line(String text) {
    err.println("pgkill: " + text);
    err.flush();
  }

  private static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
  }
}
