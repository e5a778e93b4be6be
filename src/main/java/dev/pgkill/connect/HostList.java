package dev.pgkill.connect;

import static dev.pgkill.connect.SettingText.list;
import static dev.pgkill.connect.SettingText.path;

import dev.pgkill.text.UsageError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * libpq's host, hostaddr and port lists, zipped into the servers to try: one port for all hosts or
 * one per host. A hostaddr, when given, is what is connected to; with neither, the local server's
 * Unix socket if one is there, else {@code localhost}.
 */
final class HostList {
  static final String DEFAULT_HOST = "localhost";
  static final int DEFAULT_PORT = 5432;

  private final Environment environment;

  HostList(Environment environment) {
    this.environment = environment;
  }

  List<Endpoint> endpoints(Map<String, String> values) {
    List<String> hosts = list(values.get("host"));
    List<String> addresses = list(values.get("hostaddr"));
    List<String> ports = list(values.get("port"));
    if (!hosts.isEmpty() && !addresses.isEmpty() && hosts.size() != addresses.size()) {
      throw new UsageError(
          "could not match "
              + hosts.size()
              + " host names to "
              + addresses.size()
              + " hostaddr values");
    }
    int count = Math.max(1, Math.max(hosts.size(), addresses.size()));
    if (ports.size() > 1 && ports.size() != count) {
      throw new UsageError(
          "could not match " + ports.size() + " port numbers to " + count + " hosts");
    }
    List<Endpoint> endpoints = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String portText = ports.isEmpty() ? "" : ports.get(ports.size() == 1 ? 0 : i);
      int port = portText.isEmpty() ? DEFAULT_PORT : SettingText.port(portText);
      String address = i < addresses.size() ? addresses.get(i) : "";
      String host = i < hosts.size() ? hosts.get(i) : "";
      endpoints.add(endpoint(host, address, port));
    }
    return endpoints;
  }

  private Endpoint endpoint(String host, String address, int port) {
    if (!address.isEmpty() && !NumericAddress.isOne(address)) {
      throw new UsageError(
          "invalid hostaddr \""
              + address
              + "\": not a numeric IPv4 or IPv6 address (a host"
              + " name goes in host)");
    }
    String target = !address.isEmpty() ? address : !host.isEmpty() ? host : defaultHost(port);
    if (target.startsWith("/")) {
      path("host", target); // a socket directory: the connector makes its socket file's path
    }
    return new Endpoint(target, port);
  }

  /** As libpq: the local server's socket when there is one, else TCP to localhost. */
  private String defaultHost(int port) {
    return environment.socketDirectories().stream()
        .filter(directory -> Files.exists(new Endpoint(directory.toString(), port).socketFile()))
        .findFirst()
        .map(Path::toString)
        .orElse(DEFAULT_HOST);
  }
}
