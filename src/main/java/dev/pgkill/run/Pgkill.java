package dev.pgkill.run;

import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connected;
import dev.pgkill.connect.Connector;
import dev.pgkill.connect.ServerVersion;
import dev.pgkill.report.Asked;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.Report;
import dev.pgkill.run.Invocation.Mode;
import dev.pgkill.safety.Cleared;
import dev.pgkill.safety.Safety;
import dev.pgkill.safety.Screening;
import dev.pgkill.select.Found;
import dev.pgkill.select.Hints;
import dev.pgkill.select.HorizonHolders;
import dev.pgkill.select.LockGraph;
import dev.pgkill.select.Selection;
import dev.pgkill.select.SessionFinder;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.Prediction;
import dev.pgkill.text.SafeText;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;

/**
 * One pass over one server, the straight path: select, screen for safety, confirm, signal; its
 * result is a {@link PassResult}. The one-shot command connects, runs one pass and shows it.
 */
public final class Pgkill {
  private final Connector connector;
  private final Confirmation confirmation;
  private final Logger log;
  private final Stopping stopping;
  private final AuditTrail audit;
  private final RunGate gate;

  public Pgkill(Connector connector, Confirmation confirmation, Logger log) {
    this(connector, confirmation, log, Stopping.UNHEARD);
  }

  public Pgkill(Connector connector, Confirmation confirmation, Logger log, Stopping stopping) {
    this(connector, confirmation, log, stopping, AuditTrail.NONE);
  }

  /** A pgkill whose every pass writes its decisions to {@code audit}. */
  public Pgkill(
      Connector connector,
      Confirmation confirmation,
      Logger log,
      Stopping stopping,
      AuditTrail audit) {
    this(connector, confirmation, log, stopping, audit, RunGate.OPEN);
  }

  /** One server's pgkill in a run over several, whose passes signal once {@code gate} agrees. */
  Pgkill(
      Connector connector,
      Confirmation confirmation,
      Logger log,
      Stopping stopping,
      AuditTrail audit,
      RunGate gate) {
    this.connector = connector;
    this.confirmation = confirmation;
    this.log = log;
    this.stopping = stopping;
    this.audit = audit;
    this.gate = gate;
  }

  /** The one-shot command: connects, runs one pass and shows it. */
  public ExitStatus run(Invocation invocation, Report report) {
    try (Connected connected = connector.open(invocation.connection())) {
      return run(connected, invocation, report);
    } catch (ConnectFailure e) {
      log.info("connection failed", e);
      PassResult.unreachable(e.getMessage()).render(report);
      return ExitStatus.FATAL;
    } catch (SQLException e) {
      log.info("closing the connection failed", e);
      return ExitStatus.FATAL;
    }
  }

  /**
   * One pass on a session the caller opened, shown as the command always showed it: what must be
   * seen before a question or a stop is shown then, the rest when the pass is done.
   */
  public ExitStatus run(Connected connected, Invocation invocation, Report report) {
    // Ids that name their server, so that a list taken here is refused on any other.
    ShownOnce shown =
        new ShownOnce(
            connected.server().systemIdentifier().map(report::identifying).orElse(report),
            stopping);
    try {
      PassResult result = pass(connected, invocation, shown);
      shown.show(result);
      // An audit line that was lost was reported when it was; the run must not look complete.
      return audit.failed() ? ExitStatus.FATAL : result.status();
    } finally {
      stopping.onStop(null);
    }
  }

  /**
   * One pass over the server {@code connected} reached, which prints nothing; {@code progress}
   * hears what a person must see before it ends. The server's version is the one read on
   * connecting: nothing in the pass asks for it again.
   *
   * <p>A pass that signals audits itself: each decision about a session goes to the audit trail,
   * under the invocation's rule and reason. Dry runs and listings decide nothing and write none.
   */
  public PassResult pass(Connected connected, Invocation invocation, PassProgress progress) {
    if (invocation.mode() != Mode.SIGNAL || !audit.enabled()) {
      return unaudited(connected, invocation, progress);
    }
    PassAudit passAudit =
        new PassAudit(
            audit,
            new AuditTrail.Where(connected.server(), invocation.rule(), invocation.reason()),
            invocation.action(),
            progress);
    PassResult result = unaudited(connected, invocation, passAudit);
    passAudit.done(result);
    return result;
  }

  private PassResult unaudited(Connected connected, Invocation invocation, PassProgress progress) {
    ServerVersion version = connected.server().version();
    log.info("server: PostgreSQL {} (server_version_num {})", version, version.number());
    if (connected.server().systemIdentifier().isEmpty()) {
      log.info(
          "the server's system identifier is hidden from pgkill's role (EXECUTE on"
              + " pg_control_system() was revoked from it): ids are printed as PID@BACKEND_START,"
              + " and an id's system identifier is not checked here, only its backend_start");
    }
    Connection connection = connected.connection();
    Selection selection = invocation.selection();
    PassResult result = PassResult.on(connected.server());
    try {
      if (invocation.mode() == Mode.LIST
          && selection.byFilter()
          && selection.filters().onlyPrepared()) {
        // Prepared transactions are asked for, not sessions: a table of every session would bury
        // them.
        return withHolders(result, connection, selection, Found.NONE).preparedOnly();
      }
      Found found = new SessionFinder(connection, version, log).find(selection);
      result = result.withHints(new Hints(connection, version, log).about(selection, found));
      result = withHolders(result, connection, selection, found);
      return switch (invocation.mode()) {
        case LIST -> result.listing(found.sessions(), found.locks());
        case DRY_RUN -> dryRun(result, connected, invocation, found);
        case SIGNAL ->
            new SignalPass(connected, invocation, confirmation, log, gate)
                .run(result, found, progress);
      };
    } catch (SQLException e) {
      log.info("server failed", e);
      return result.failed("the server failed outside any target: " + oneLine(e));
    }
  }

  /** What no signal can end but the DBA must learn of: prepared transactions, slots. */
  private PassResult withHolders(
      PassResult result, Connection connection, Selection selection, Found found)
      throws SQLException {
    if (!selection.byFilter()) {
      return result.withHolders(List.of(), found.locks(), HorizonHolders.NONE);
    }
    HorizonHolders holders =
        HorizonHolders.read(
            connection,
            selection.filters().xminOlderThan(),
            selection.filters().preparedOlderThan(),
            log);
    return result.withHolders(
        found.locks().preparedBlockingLongerThan(selection.filters().blockingLongerThan()),
        found.locks(),
        holders);
  }

  /** What the signals would do, signalling nothing. */
  private PassResult dryRun(
      PassResult result, Connected connected, Invocation invocation, Found found)
      throws SQLException {
    Screening screening =
        Safety.screen(
            invocation.selection(),
            found,
            invocation.unverified(),
            connected.server().systemIdentifier());
    List<Cleared> cleared = screening.cleared();
    if (cleared.size() > invocation.max()) {
      // A dry run is there to look: show what the selection chose, so it can be narrowed.
      return result
          .listing(cleared.stream().map(Cleared::session).toList(), LockGraph.NONE)
          .refused(moreThanMax(invocation, cleared.size()));
    }
    List<Outcome> outcomes =
        new Prediction(connected.connection(), connected.server().version(), log)
            .outcomes(screening, invocation.action());
    if (invocation.selection().byFilter()
        && confirmation != Confirmation.ASSUMED
        && !confirmation.canAsk()
        && outcomes.stream().anyMatch(o -> o.result() == Outcome.Result.WOULD_SIGNAL)) {
      // A rehearsal for cron must not promise what the real run would refuse.
      List<String> hints = new java.util.ArrayList<>(result.hints());
      hints.add(
          "without --yes this run would be refused: a selection chose the sessions and there is"
              + " no terminal to ask on (exit status 5)");
      result = result.withHints(hints);
    }
    return result.withOutcomes(asked(invocation), outcomes);
  }

  /** What the summary must say the pass was asked to do. */
  static Asked asked(Invocation invocation) {
    return new Asked(
        invocation.action(), invocation.mode() == Mode.DRY_RUN, invocation.escalate().isPresent());
  }

  /** More sessions than --max refuses the whole pass. */
  static String moreThanMax(Invocation invocation, int sessions) {
    return "refusing to "
        + invocation.action().verb()
        + " "
        + sessions
        + " sessions: more than --max "
        + invocation.max()
        + "; nothing was signalled";
  }

  private static String oneLine(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return SafeText.oneLine(message)
        + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
  }
}
