package dev.pgkill.select;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.text.Counted;
import dev.pgkill.text.SafeText;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Why a selection may have found fewer sessions than the user expects, said instead of a silent "0
 * sessions": sessions left out because pgkill's role cannot see their type, a --user that names no
 * role (or several, joined by commas), a --backend-type that no backend has now.
 */
public final class Hints {
  private static final String UNKNOWN_ROLES =
      "select u from unnest(?::text[]) with ordinality as t(u, n)"
          + " where not exists (select 1 from pg_roles r where r.rolname = t.u) order by t.n";

  private static final String TYPES_NOW =
      "select distinct backend_type, current_user from pg_stat_activity order by 1";

  private final Connection connection;

  /** The server's version, or null to ask the server when a filter needs it. */
  private final ServerVersion version;

  private final Logger log;

  public Hints(Connection connection, Logger log) {
    this(connection, null, log);
  }

  public Hints(Connection connection, ServerVersion version, Logger log) {
    this.connection = connection;
    this.version = version;
    this.log = log;
  }

  /** The hints for what this selection found, each one line, none when all is as it seems. */
  public List<String> about(Selection selection, Found found) throws SQLException {
    List<String> hints = new ArrayList<>();
    Filters filters = selection.filters();
    unknownRoles(filters.users(), hints);
    if (selection.byFilter()) {
      hidden(filters, found, hints);
      if (found.sessions().isEmpty()) {
        unknownTypes(filters, hints);
        pickBlocked(filters, found, hints);
      }
    }
    return hints;
  }

  private void unknownRoles(List<String> users, List<String> hints) throws SQLException {
    if (users.isEmpty()) {
      return;
    }
    for (String user : column(UNKNOWN_ROLES, users.toArray(String[]::new))) {
      String[] several = user.split(",", -1);
      hints.add(
          "there is no role "
              + SafeText.quoted(user)
              + (several.length > 1
                  ? ": to choose several roles, give -u once for each (-u "
                      + SafeText.oneLine(String.join(" -u ", several))
                      + ")"
                  : ""));
    }
  }

  /**
   * --newest or --oldest chose nothing because some candidates' backend_start is hidden: which one
   * is the newest cannot be told, and pgkill never guesses.
   */
  private void pickBlocked(Filters filters, Found found, List<String> hints) throws SQLException {
    if (filters.pick() == Filters.Pick.ALL) {
      return;
    }
    FilterSql matching = matching(filters, found);
    FilterSql types = BackendTypes.chosen(filters);
    List<FilterSql.Param> params = new ArrayList<>(matching.params());
    params.addAll(types.params());
    LeftOut left =
        count(matching.sql() + " and " + types.sql() + " and a.backend_start is null", params);
    if (left.count() > 0) {
      String option = filters.pick() == Filters.Pick.NEWEST ? "--newest" : "--oldest";
      hints.add(
          option
              + " chose nothing: the backend_start of "
              + Counted.of(left.count(), "matching session")
              + " is"
              + " hidden from role "
              + left.role()
              + ", so which one connected "
              + (option.equals("--newest") ? "last" : "first")
              + " cannot be told; grant pg_read_all_stats (or pg_monitor) to "
              + left.role());
    }
  }

  /**
   * Sessions that pass every filter pgkill can check but were left out as their type is hidden.
   * --newest and --oldest already show them (they stop the pick); --backend-type any takes them.
   */
  private void hidden(Filters filters, Found found, List<String> hints) throws SQLException {
    if (filters.anyBackendType() || filters.pick() != Filters.Pick.ALL || superuser()) {
      return;
    }
    FilterSql matching = matching(filters, found);
    LeftOut left =
        count(matching.sql() + " and " + BackendTypes.hidden(filters), matching.params());
    long count = left.count();
    if (count > 0) {
      hints.add(
          (filters.backendTypes().isEmpty()
                  ? Counted.of(count, "session of another role was", "sessions of other roles were")
                  : Counted.of(count, "backend was", "backends were"))
              + " left out: role "
              + left.role()
              + " cannot see "
              + (count == 1 ? "its" : "their")
              + " backend type; grant pg_read_all_stats (or pg_monitor) to "
              + left.role()
              + " to see "
              + (count == 1 ? "it" : "them")
              + ", or give --backend-type any");
    }
  }

  /** The filters pgkill can check in SQL, narrowed with --blockers to the roots it found. */
  private FilterSql matching(Filters filters, Found found) throws SQLException {
    FilterSql matching =
        FilterSql.matching(
            filters,
            filters.waitingLongerThan().isEmpty() || version != null
                ? version
                : ServerVersion.of(connection));
    if (filters.blockers()) {
      matching.onlyPids(found.locks().rootsBlockingLongerThan(filters.blockingLongerThan()));
    }
    return matching;
  }

  /** How many other sessions a hint is about, and pgkill's role, which the hint names. */
  private record LeftOut(long count, String role) {}

  private LeftOut count(String where, List<FilterSql.Param> params) throws SQLException {
    String sql =
        "select count(*), current_user from pg_stat_activity a where "
            + where
            + " and a.pid <> pg_backend_pid()";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      List<Array> arrays = BindParameters.bind(connection, statement, params);
      log.debug("{}\n  with {}", sql, BindParameters.shown(params));
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return new LeftOut(row.getLong(1), SafeText.oneLine(row.getString(2)));
      } finally {
        for (Array array : arrays) {
          array.free();
        }
      }
    }
  }

  private void unknownTypes(Filters filters, List<String> hints) throws SQLException {
    List<String> asked =
        filters.backendTypes().stream().filter(t -> !t.equals(Filters.ANY_BACKEND_TYPE)).toList();
    if (asked.isEmpty()) {
      return;
    }
    List<String> now = new ArrayList<>();
    boolean hidden = false;
    String role = null;
    log.debug("{}", TYPES_NOW);
    try (PreparedStatement statement = connection.prepareStatement(TYPES_NOW);
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        if (row.getString(1) == null) {
          hidden = true;
        } else {
          now.add(row.getString(1));
        }
        role = row.getString(2);
      }
    }
    for (String type : asked) {
      if (!now.contains(type)) {
        hints.add(
            "no backend of type "
                + SafeText.quoted(type)
                + " is running; the types running now are "
                + SafeText.oneLine(String.join(", ", now))
                + (hidden ? " (and those hidden from role " + SafeText.oneLine(role) + ")" : ""));
      }
    }
  }

  /** Whether pgkill's role is a superuser, which sees every backend's type. */
  private boolean superuser() throws SQLException {
    return "on"
        .equals(
            connection
                .unwrap(org.postgresql.PGConnection.class)
                .getParameterStatus("is_superuser"));
  }

  /** The first column of a query with one text array bound. */
  private List<String> column(String sql, String[] texts) throws SQLException {
    List<String> values = new ArrayList<>();
    log.debug("{}\n  with {} values", sql, texts.length);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      Array array = connection.createArrayOf("text", texts);
      statement.setArray(1, array);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          values.add(row.getString(1));
        }
      } finally {
        array.free();
      }
    }
    return values;
  }
}
