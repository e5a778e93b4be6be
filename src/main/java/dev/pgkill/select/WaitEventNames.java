package dev.pgkill.select;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.text.UsageError;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Whether each {@code --wait-event TYPE:NAME} names an event this server has: from PostgreSQL 17 it
 * lists them in pg_wait_events, and a misspelt name would silently match nothing. Older servers
 * list none, so there a name is taken as typed.
 */
final class WaitEventNames {
  /**
   * Types whose events come and go: an extension's custom events are listed once it registers them,
   * injection points never, and the LWLock tranches extensions register (pg_stat_statements') are
   * shown in pg_stat_activity but never listed. A name of these may be right though unlisted.
   */
  private static final Set<String> DYNAMIC = Set.of("Extension", "InjectionPoint", "LWLock");

  /** The first key, in the order given, that no listed event has. */
  private static final String UNKNOWN =
      "select u.k from unnest(?::text[]) with ordinality as u(k, n)"
          + " where not exists (select 1 from pg_wait_events w"
          + " where lower(w.type || ':' || w.name) = u.k)"
          + " order by u.n limit 1";

  private WaitEventNames() {}

  static void check(
      Connection connection, ServerVersion version, List<WaitEvent> events, Logger log)
      throws SQLException {
    List<WaitEvent> named =
        events.stream().filter(e -> e.name().isPresent() && !DYNAMIC.contains(e.type())).toList();
    if (!version.hasWaitEventsView() || named.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(UNKNOWN)) {
      Array keys = connection.createArrayOf("text", named.stream().map(WaitEvent::key).toArray());
      statement.setArray(1, keys);
      log.debug("{}\n  with {}", UNKNOWN, named);
      try (ResultSet row = statement.executeQuery()) {
        if (row.next()) {
          String unknown = row.getString(1);
          WaitEvent event =
              named.stream().filter(e -> e.key().equals(unknown)).findFirst().orElseThrow();
          throw new UsageError(
              "unknown --wait-event "
                  + event
                  + ": PostgreSQL "
                  + version
                  + " has no "
                  + event.type()
                  + " wait event of that name (pg_wait_events lists them)");
        }
      } finally {
        keys.free();
      }
    }
  }
}
