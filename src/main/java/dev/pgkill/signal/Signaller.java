package dev.pgkill.signal;

import dev.pgkill.safety.Cleared;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;

/**
 * Sends the signal, each target by its own identity-checked statement, or all of them in one where
 * that loses nothing (see {@link OneStatementPerTarget} and {@link OneStatementForAll}).
 *
 * <p>The statement signals only if the PID still belongs to the backend that was inspected ({@code
 * pid} and {@code backend_start}, checked in the same statement) and is not pgkill's own. It tells
 * the two ways of not matching apart: no row means the backend is gone, a row with a different
 * backend_start means the PID was reused. It reads {@code pg_stat_get_activity(pid)}, the one row
 * of that backend, with the same privilege rules as the view: the view would build a row for every
 * backend of the server, for every target.
 */
public final class Signaller {
  private final OneStatementPerTarget oneByOne;
  private final OneStatementForAll inBulk;

  public Signaller(Connection connection, Logger log) {
    this.oneByOne = new OneStatementPerTarget(connection, log);
    this.inBulk = new OneStatementForAll(connection, oneByOne, log);
  }

  /**
   * Signals each session, one outcome per target in order. If the connection is lost, the targets
   * not yet reached are reported as not attempted rather than guessed at.
   */
  public List<Outcome> signal(List<Cleared> cleared, Action action) throws SQLException {
    return inBulk.isSafe(cleared)
        ? inBulk.signal(cleared, action)
        : oneByOne.signal(cleared, action);
  }

  /**
   * The terminate of --escalate, one statement per target: only sessions still running the query,
   * or still in the transaction, they were inspected in.
   */
  public List<Outcome> terminateIfStillBusy(List<Cleared> busy) throws SQLException {
    return oneByOne.terminateIfStillBusy(busy);
  }
}
