package dev.pgkill.report;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.Optional;

/**
 * Where {@code --metrics-port} serves: a TCP port, on every interface unless an address is given,
 * as node_exporter and postgres_exporter listen by default.
 *
 * @param host the address or host name to bind, empty for every interface
 * @param port 0 to take any free port (the served metrics say which)
 */
public record MetricsAddress(Optional<String> host, int port) {

  public MetricsAddress {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /**
   * Reads {@code PORT}, {@code ADDRESS:PORT} or {@code [IPV6]:PORT}, as the option is given: {@code
   * 9187}, {@code 127.0.0.1:9187}, {@code [::1]:9187}.
   */
  public static MetricsAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    String port = colon < 0 ? text : text.substring(colon + 1);
    if (colon < 0) {
      return new MetricsAddress(Optional.empty(), port(text, port));
    }
    String host = text.substring(0, colon);
    if (host.chars().anyMatch(c -> Character.isWhitespace(c) || SafeText.unsafe(c))) {
      throw invalid(text, "the address holds a space or a control character");
    }
    if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
      host = host.substring(1, host.length() - 1);
    } else if (host.isEmpty() || host.indexOf(':') >= 0 || host.indexOf('[') >= 0) {
      throw invalid(
          text,
          host.isEmpty()
              ? "no address before the colon (give PORT alone to listen on every interface)"
              : "an IPv6 address goes in brackets, [::1]:9187");
    }
    return new MetricsAddress(Optional.of(host), port(text, port));
  }

  private static int port(String text, String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid(text, "the port must be a number from 0 to 65535");
    }
    int number = Integer.parseInt(port);
    if (number > 65535) {
      throw invalid(text, "the port must be a number from 0 to 65535");
    }
    return number;
  }

  private static UsageError invalid(String text, String why) {
    return new UsageError(
        "invalid --metrics-port " + SafeText.quoted(text) + ": expected [ADDRESS:]PORT; " + why);
  }

  /** {@code 9187}, {@code 127.0.0.1:9187}, {@code [::1]:9187}: as the option would be given. */
  @Override
  public String toString() {
    return host.map(h -> (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port)
        .orElse(Integer.toString(port));
  }
}
