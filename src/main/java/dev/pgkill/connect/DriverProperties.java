package dev.pgkill.connect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What pgkill hands pgjdbc for a connection: the URL (hosts and database) and the properties (the
 * user, the resolved password's plugin, pgkill's own session settings, timeouts, TLS, which server
 * will do, the Unix-socket factory), each libpq setting in pgjdbc's name for it.
 */
final class DriverProperties {
  /** pgkill's own statements are catalogue look-ups and signals: each takes milliseconds. */
  static final String STATEMENT_TIMEOUT = "15s";

  /**
   * How long pgkill waits for any answer from the server once connected. Longer than the statement
   * timeout, so that the server's own timeout speaks first; short enough that a server that stopped
   * answering mid-run cannot hang a cron job.
   */
  static final int SOCKET_TIMEOUT_SECONDS = 30;

  static final String APPLICATION_NAME = "pgkill";

  /** libpq's target_session_attrs as pgjdbc's targetServerType. */
  static final Map<String, String> TARGET_SERVER_TYPES =
      Map.of(
          "any", "any",
          "read-write", "primary",
          "primary", "primary",
          "read-only", "secondary",
          "standby", "secondary",
          "prefer-standby", "preferSecondary");

  private DriverProperties() {}

  /**
   * The hosts and the database; everything else goes in the properties. A socket connection names
   * localhost here: pgjdbc wants a host, and the socket factory ignores it.
   */
  static String url(ConnectionSettings settings) {
    String hosts =
        settings.endpoints().stream()
            .map(e -> (e.isSocket() ? "localhost" : bracketed(e.host())) + ":" + e.port())
            .collect(Collectors.joining(","));
    return "jdbc:postgresql://"
        + hosts
        + "/"
        + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8);
  }

  private static String bracketed(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  static Properties properties(ConnectionSettings settings) {
    Properties properties = new Properties();
    properties.setProperty("user", settings.user());
    properties.setProperty("authenticationPluginClassName", ResolvedPassword.class.getName());
    if (settings.hasPassword()) {
      properties.setProperty(ResolvedPassword.PROPERTY, new String(settings.password()));
    }
    properties.setProperty(
        "ApplicationName",
        settings.applicationName() == null ? APPLICATION_NAME : settings.applicationName());
    // pgkill's settings come last: in the startup packet the last -c of a setting wins. The
    // search_path keeps a database owner's functions (a public.pg_terminate_backend that only
    // returns true) from standing in for the server's, whatever ALTER DATABASE or ROLE set.
    String own =
        "-c statement_timeout="
            + STATEMENT_TIMEOUT
            + " -c client_min_messages=warning"
            + " -c search_path=pg_catalog";
    properties.setProperty(
        "options", settings.options() == null ? own : settings.options() + " " + own);
    timeouts(properties, settings);
    // Every supported server is 10 or newer: startup parameters then replace pgjdbc's SET round
    // trip.
    properties.setProperty("assumeMinServerVersion", "10");
    tls(properties, settings.tls());
    properties.setProperty(
        "targetServerType", TARGET_SERVER_TYPES.get(settings.targetSessionAttrs()));
    properties.setProperty("loadBalanceHosts", Boolean.toString(settings.loadBalanceHosts()));
    if (settings.endpoints().get(0).isSocket()) {
      properties.setProperty(
          "socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
      properties.setProperty(
          "socketFactoryArg", settings.endpoints().get(0).socketFile().toString());
    }
    return properties;
  }

  private static void timeouts(Properties properties, ConnectionSettings settings) {
    int timeout = settings.connectTimeoutSeconds();
    properties.setProperty("connectTimeout", Integer.toString(timeout));
    properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
    // libpq's timeout is per host; pgjdbc's loginTimeout covers them all.
    properties.setProperty("loginTimeout", Integer.toString(timeout * settings.endpoints().size()));
  }

  private static void tls(Properties properties, Tls tls) {
    properties.setProperty("sslmode", tls.mode());
    setIfPresent(properties, "sslrootcert", tls.rootCert());
    setIfPresent(properties, "sslcert", tls.cert());
    setIfPresent(properties, "sslkey", tls.key());
    if (tls.mode().equals("verify-full")) {
      properties.setProperty("sslhostnameverifier", LibpqHostnameVerifier.class.getName());
    }
  }

  private static void setIfPresent(Properties properties, String name, String value) {
    if (value != null) {
      properties.setProperty(name, value);
    }
  }
}
