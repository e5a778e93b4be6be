package dev.pgkill.signal;

import dev.pgkill.connect.SqlStates;
import dev.pgkill.safety.Cleared;
import dev.pgkill.select.BackendId;
import dev.pgkill.signal.Outcome.Result;
import dev.pgkill.text.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.slf4j.Logger;

/**
 * Where no per-target ERROR is possible, a superuser signalling client backends, all targets go in
 * one statement over arrays, which still returns each target's own boolean. A target whose boolean
 * is false was not signalled, so it is tried again on its own to get its own WARNING.
 */
final class OneStatementForAll {
  /** Many targets at once, in the order given: one row each, null where the backend is gone. */
  private static final String IDENTITY_CHECKED_BULK =
      """
      select t.n, a.backend_start = t.backend_start as same_backend,
             case when a.backend_start = t.backend_start then %s(a.pid) end as signalled
        from unnest(?::int[], ?::timestamptz[]) with ordinality as t(pid, backend_start, n)
        left join lateral pg_stat_get_activity(t.pid) a on a.pid <> pg_backend_pid()
       order by t.n""";

  /** Fewer targets than this gain nothing from the bulk statement. */
  private static final int BULK_FROM = 3;

  private final Connection connection;
  private final OneStatementPerTarget oneByOne;
  private final Logger log;

  OneStatementForAll(Connection connection, OneStatementPerTarget oneByOne, Logger log) {
    this.connection = connection;
    this.oneByOne = oneByOne;
    this.log = log;
  }

  /**
   * Only a superuser can get no permission ERROR, and only client backends whose identity can be
   * checked go through the one identity-checked statement.
   */
  boolean isSafe(List<Cleared> cleared) throws SQLException {
    return cleared.size() >= BULK_FROM
        && cleared.stream()
            .map(Cleared::session)
            .allMatch(s -> s.identifiable() && s.clientBackend())
        && "on".equals(connection.unwrap(PGConnection.class).getParameterStatus("is_superuser"));
  }

  /** Every target in one statement; those it did not signal, again one by one. */
  List<Outcome> signal(List<Cleared> cleared, Action action) throws SQLException {
    Outcome[] outcomes = new Outcome[cleared.size()];
    Map<Integer, Cleared> retry = new TreeMap<>();
    try {
      signalAll(cleared, action, outcomes, retry);
    } catch (SQLException e) {
      if (!SqlStates.connectionLost(e)) {
        throw e;
      }
      // Which targets the lost statement reached is unknown: say so of every one.
      ServerMessage message = ServerMessage.of(e);
      return cleared.stream()
          .map(s -> Outcome.of(s.target(), s.session(), action, Result.CONNECTION_LOST, message))
          .toList();
    }
    List<Integer> retryAt = new ArrayList<>(retry.keySet());
    List<Outcome> retried = oneByOne.signal(new ArrayList<>(retry.values()), action);
    for (int k = 0; k < retried.size(); k++) {
      outcomes[retryAt.get(k)] = retried.get(k);
    }
    log.info(
        "{} {} targets in one statement, {} again one by one",
        action.verb(),
        cleared.size(),
        retry.size());
    return List.of(outcomes);
  }

  /** Fills in the outcome of each target the statement settled; the rest go to {@code retry}. */
  private void signalAll(
      List<Cleared> cleared, Action action, Outcome[] outcomes, Map<Integer, Cleared> retry)
      throws SQLException {
    String sql = IDENTITY_CHECKED_BULK.formatted(action.function());
    List<BackendId> ids = cleared.stream().map(s -> s.session().id()).toList();
    Integer[] pids = ids.stream().map(BackendId::pid).toArray(Integer[]::new);
    String[] starts =
        ids.stream().map(id -> Timestamps.utc(id.backendStart())).toArray(String[]::new);
    log.debug("{}\n  with {} pids and backend_starts", sql, pids.length);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("int4", pids));
      statement.setArray(2, connection.createArrayOf("text", starts));
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          int i = row.getInt("n") - 1;
          Cleared screened = cleared.get(i);
          Result result = result(row);
          if (result == null) {
            retry.put(i, screened);
          } else {
            outcomes[i] = Outcome.of(screened.target(), screened.session(), action, result);
          }
        }
      }
    }
  }

  /** Gone, replaced, signalled; null where the server returned false and did not say why here. */
  private static Result result(ResultSet row) throws SQLException {
    Object same = row.getObject("same_backend");
    if (same == null) {
      return Result.GONE;
    }
    if (!(Boolean) same) {
      return Result.REPLACED;
    }
    return row.getBoolean("signalled") ? Result.SIGNALLED : null;
  }
}
