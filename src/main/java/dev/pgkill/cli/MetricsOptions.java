package dev.pgkill.cli;

import dev.pgkill.report.MetricsAddress;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a watch run serves its Prometheus metrics, if anywhere. */
final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "[ADDRESS:]PORT",
      order = HelpSections.UNATTENDED + 4,
      description =
          "With --watch: serve Prometheus metrics at /metrics on this port (passes, sessions"
              + " matched and signalled per rule and result, server errors, the last good pass,"
              + " connected or not; with several servers, each labelled server), on every interface unless an ADDRESS is given, as exporters"
              + " do: 127.0.0.1:9187 for this host only, [::1]:9187 for IPv6. A port already in"
              + " use stops the run with exit status 2 before anything is signalled.")
  String metricsPort;

  /** The address to serve on; empty without the option. A bad value is a usage error. */
  Optional<MetricsAddress> address() {
    return Optional.ofNullable(metricsPort).map(MetricsAddress::parse);
  }
}
