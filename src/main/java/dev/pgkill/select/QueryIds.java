package dev.pgkill.select;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;

/**
 * Whether {@code --query-id} can choose anything on this server: pg_stat_activity has query_id from
 * PostgreSQL 14, and it is null for every session unless the server computes query IDs ({@code
 * compute_query_id} on, or auto with a module such as pg_stat_statements that asks for them).
 * Either way a --query-id would silently match nothing: a usage error says why instead.
 */
final class QueryIds {
  /**
   * Whether any session shows a query ID. pgkill's own statement is one: it has an ID whenever the
   * server computes them for a session with the server's settings.
   */
  private static final String COMPUTED =
      "select current_setting('compute_query_id'),"
          + " exists (select 1 from pg_stat_activity where query_id is not null)";

  private QueryIds() {}

  static void check(Connection connection, ServerVersion version, Logger log) throws SQLException {
    if (!version.hasQueryId()) {
      throw new UsageError(
          "--query-id needs PostgreSQL 14 or later, where pg_stat_activity shows query_id;"
              + " this server is "
              + version);
    }
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(COMPUTED)) {
      row.next();
      String setting = row.getString(1);
      boolean computed = row.getBoolean(2);
      log.debug("compute_query_id is {}; some session shows a query_id: {}", setting, computed);
      if (!computed) {
        throw new UsageError(
            "--query-id cannot match: this server computes no query IDs (compute_query_id is "
                + SafeText.oneLine(setting)
                + ("auto".equals(setting)
                    ? " and no module such as pg_stat_statements asks for them"
                    : "")
                + "), so pg_stat_activity.query_id is null for every session; set"
                + " compute_query_id = on");
      }
    }
  }
}
