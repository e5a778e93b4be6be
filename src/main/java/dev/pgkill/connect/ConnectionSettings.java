package dev.pgkill.connect;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where and how to connect, fully resolved. {@link #toString()} never shows the password: it is
 * what errors and logs print as "what was tried".
 *
 * @param endpoints the servers to try, in order (libpq's host and port lists)
 * @param applicationName the user's application_name, or null for pgkill's own name
 * @param options the user's {@code options} (PGOPTIONS), or null
 * @param targetSessionAttrs libpq's target_session_attrs: which of several servers will do
 */
public record ConnectionSettings(
    List<Endpoint> endpoints,
    String user,
    String database,
    char[] password,
    int connectTimeoutSeconds,
    String applicationName,
    String options,
    Tls tls,
    String targetSessionAttrs,
    boolean loadBalanceHosts) {

  public ConnectionSettings {
    endpoints = List.copyOf(endpoints);
  }

  public ConnectionSettings withPassword(char[] newPassword) {
    return new ConnectionSettings(
        endpoints,
        user,
        database,
        newPassword,
        connectTimeoutSeconds,
        applicationName,
        options,
        tls,
        targetSessionAttrs,
        loadBalanceHosts);
  }

  public boolean hasPassword() {
    return password != null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConnectionSettings s
        && endpoints.equals(s.endpoints)
        && user.equals(s.user)
        && database.equals(s.database)
        && Arrays.equals(password, s.password)
        && connectTimeoutSeconds == s.connectTimeoutSeconds
        && Objects.equals(applicationName, s.applicationName)
        && Objects.equals(options, s.options)
        && tls.equals(s.tls)
        && targetSessionAttrs.equals(s.targetSessionAttrs)
        && loadBalanceHosts == s.loadBalanceHosts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoints, user, database, connectTimeoutSeconds, tls);
  }

  /**
   * In libpq's words, as psql names a failed connection: {@code host=/var/run/postgresql port=5432
   * user=... dbname=...}; several hosts as libpq lists.
   */
  @Override
  public String toString() {
    String hosts = endpoints.stream().map(Endpoint::host).collect(Collectors.joining(","));
    List<String> ports =
        endpoints.stream().map(e -> Integer.toString(e.port())).distinct().toList();
    String portList =
        ports.size() == 1
            ? ports.get(0)
            : endpoints.stream()
                .map(e -> Integer.toString(e.port()))
                .collect(Collectors.joining(","));
    return "host=" + hosts + " port=" + portList + " user=" + user + " dbname=" + database;
  }
}
