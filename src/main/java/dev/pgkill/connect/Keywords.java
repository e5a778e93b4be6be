package dev.pgkill.connect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * libpq's connection keywords and the environment variables that stand for them. A keyword libpq
 * knows is accepted everywhere it may appear (conninfo, URI, service file) even where pgkill has
 * nothing to do with it, so that a DBA's existing service file or connection string keeps working;
 * a keyword libpq does not know is a usage error, as in psql.
 */
final class Keywords {
  private Keywords() {}

  /** Every keyword of libpq 18 (libpq-connect, "Parameter Key Words"). */
  static final Set<String> ALL =
      Set.of(
          "host",
          "hostaddr",
          "port",
          "dbname",
          "user",
          "password",
          "passfile",
          "require_auth",
          "channel_binding",
          "connect_timeout",
          "client_encoding",
          "options",
          "application_name",
          "fallback_application_name",
          "keepalives",
          "keepalives_idle",
          "keepalives_interval",
          "keepalives_count",
          "tcp_user_timeout",
          "replication",
          "gssencmode",
          "sslmode",
          "sslnegotiation",
          "sslcompression",
          "sslcert",
          "sslkey",
          "sslkeylogfile",
          "sslpassword",
          "sslcertmode",
          "sslrootcert",
          "sslcrl",
          "sslcrldir",
          "sslsni",
          "requirepeer",
          "ssl_min_protocol_version",
          "ssl_max_protocol_version",
          "min_protocol_version",
          "max_protocol_version",
          "krbsrvname",
          "gsslib",
          "gssdelegation",
          "service",
          "servicefile",
          "target_session_attrs",
          "load_balance_hosts",
          "scram_client_key",
          "scram_server_key",
          "oauth_issuer",
          "oauth_client_id",
          "oauth_client_secret",
          "oauth_scope");

  /** The environment variables pgkill reads as libpq does, each with its keyword. */
  static final Map<String, String> ENVIRONMENT = environment();

  private static Map<String, String> environment() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("PGHOST", "host");
    variables.put("PGHOSTADDR", "hostaddr");
    variables.put("PGPORT", "port");
    variables.put("PGDATABASE", "dbname");
    variables.put("PGUSER", "user");
    variables.put("PGPASSWORD", "password");
    variables.put("PGPASSFILE", "passfile");
    variables.put("PGSERVICEFILE", "servicefile");
    variables.put("PGSSLMODE", "sslmode");
    variables.put("PGSSLROOTCERT", "sslrootcert");
    variables.put("PGSSLCERT", "sslcert");
    variables.put("PGSSLKEY", "sslkey");
    variables.put("PGCONNECT_TIMEOUT", "connect_timeout");
    variables.put("PGAPPNAME", "application_name");
    variables.put("PGOPTIONS", "options");
    variables.put("PGTARGETSESSIONATTRS", "target_session_attrs");
    return Map.copyOf(variables);
  }

  static boolean known(String keyword) {
    return ALL.contains(keyword);
  }
}
