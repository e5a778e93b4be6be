package dev.pgkill.run;

import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connected;
import dev.pgkill.connect.Connector;
import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.Report;
import dev.pgkill.report.RunSummary;
import dev.pgkill.report.ServerTag;
import dev.pgkill.run.Invocation.Mode;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Target;
import dev.pgkill.text.UsageError;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;

/**
 * One run over several servers: the same pass on each, each on its own connection, at most {@code
 * --parallel} of them working at a time; a server that cannot be reached costs its connect_timeout
 * and one line of the report, and the others go on. The results are shown when every pass is over,
 * server by server in the order given, then one summary for the run.
 */
public final class Fleet {
  private final Connector connector;
  private final Confirmation confirmation;
  private final Logger log;
  private final AuditTrail audit;
  private final int parallel;
  private final Optional<Integer> maxTotal;
  private final Stopping stopping;

  /**
   * @param maxTotal --max-total: the most sessions the whole run may signal
   */
  public Fleet(
      Connector connector,
      Confirmation confirmation,
      Logger log,
      AuditTrail audit,
      int parallel,
      Optional<Integer> maxTotal) {
    this(connector, confirmation, log, audit, parallel, maxTotal, Stopping.UNHEARD);
  }

  /**
   * @param stopping hears what to show if the process is stopped while passes wait (--wait)
   */
  public Fleet(
      Connector connector,
      Confirmation confirmation,
      Logger log,
      AuditTrail audit,
      int parallel,
      Optional<Integer> maxTotal,
      Stopping stopping) {
    this.stopping = stopping;
    this.connector = connector;
    this.confirmation = confirmation;
    this.log = log;
    this.audit = audit;
    this.parallel = parallel;
    this.maxTotal = maxTotal;
  }

  /** What one server's pass found and did, or why it never ran. */
  record ServerPass(FleetServer server, Optional<ServerIdentity> identity, PassResult result) {
    ServerTag tag() {
      return server.tag(identity);
    }
  }

  public ExitStatus run(Invocation invocation, List<FleetServer> servers, Report report) {
    Semaphore places = new Semaphore(parallel);
    FleetGate gate = gate(invocation, servers, places);
    FleetShown shown =
        new FleetShown(
            servers, stopping, passes -> show(invocation, servers, report, gate, passes));
    return shown.show(passes(invocation, servers, gate, places, shown));
  }

  /** Each server's pass in the order given, then the run's summary; returns the run's status. */
  private ExitStatus show(
      Invocation invocation,
      List<FleetServer> servers,
      Report report,
      FleetGate gate,
      List<ServerPass> passes) {
    // With several servers, ids go each to the server it names.
    boolean severalServers = servers.size() > 1;
    // The run's one decision refused every pass alike: said once, not once per server.
    Optional<String> runRefusal = gate.refusal();
    List<ExitStatus> statuses = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<dev.pgkill.signal.Outcome> outcomes = new ArrayList<>();
    List<dev.pgkill.select.Session> sessions = new ArrayList<>();
    for (ServerPass pass : passes) {
      PassResult result = pass.result();
      Report on = report.on(pass.tag());
      if (runRefusal.isPresent() && result.error().equals(runRefusal)) {
        result.renderFound(on);
        result.renderBody(on);
      } else {
        result.render(on);
      }
      statuses.add(targetsAllFailed(result) ? ExitStatus.PARTIAL : result.status());
      if (result.status() == ExitStatus.FATAL) {
        unreachable.add(pass.server().label());
      } else if (result.status() == ExitStatus.REFUSED) {
        refused.add(pass.server().label());
      }
      result.outcomes().ifPresent(o -> outcomes.addAll(o.outcomes()));
      result.listed().ifPresent(l -> sessions.addAll(l.sessions()));
    }
    if (severalServers && !invocation.selection().targets().isEmpty()) {
      List<Target> unclaimed = unclaimed(invocation, passes);
      for (Target target : unclaimed) {
        report.error(
            target.pid()
                + ": no server of this run reached has system identifier "
                + target.systemIdentifier().orElse("?")
                + "; not signalled");
      }
      if (!unclaimed.isEmpty() && statuses.stream().anyMatch(s -> s != ExitStatus.FATAL)) {
        statuses.add(ExitStatus.PARTIAL);
      }
    }
    runRefusal.ifPresent(report::error);
    ExitStatus status = audit.failed() ? ExitStatus.FATAL : FleetStatus.of(statuses);
    report.run(
        new RunSummary(
            servers.size(),
            unreachable,
            refused,
            invocation.mode() == Mode.LIST
                ? Optional.empty()
                : Optional.of(Pgkill.asked(invocation)),
            outcomes,
            sessions,
            status.code()));
    return status;
  }

  private boolean asksHere(Invocation invocation) {
    return invocation.mode() == Mode.SIGNAL
        && confirmation != Confirmation.ASSUMED
        && confirmation.canAsk();
  }

  /** The run's one decision, which each pass awaits before it signals. */
  private FleetGate gate(Invocation invocation, List<FleetServer> servers, Semaphore places) {
    return new FleetGate(
        servers.stream().map(FleetServer::label).toList(),
        invocation.action(),
        invocation.mode() == Mode.SIGNAL ? maxTotal : Optional.empty(),
        asksHere(invocation) ? Optional.of(confirmation) : Optional.empty(),
        places);
  }

  /** Every server's pass, in the order given, each on a thread of its own. */
  private List<ServerPass> passes(
      Invocation invocation,
      List<FleetServer> servers,
      FleetGate gate,
      Semaphore places,
      FleetShown shown) {
    // Asked once by the gate, or (with nobody to ask) refused by each pass as a single one is.
    Confirmation eachPass = asksHere(invocation) ? Confirmation.ASSUMED : confirmation;
    // A thread per server, not per place: a pass waiting at the gate must not keep one from
    // another server that has yet to get there. The places bound the work.
    ExecutorService threads =
        Executors.newFixedThreadPool(
            servers.size(),
            work -> {
              Thread thread = new Thread(work, "pgkill-server");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<ServerPass>> futures = new ArrayList<>();
      for (int i = 0; i < servers.size(); i++) {
        int index = i;
        FleetServer server = servers.get(i);
        Pgkill pgkill =
            new Pgkill(connector, eachPass, log, Stopping.UNHEARD, audit, gate.forServer(index));
        futures.add(
            threads.submit(
                () -> {
                  places.acquireUninterruptibly();
                  try {
                    ServerPass pass =
                        pass(pgkill, server, invocation, servers.size() > 1, shown.progress(index));
                    shown.done(index, pass);
                    return pass;
                  } finally {
                    gate.ended(index);
                    places.release();
                  }
                }));
      }
      List<ServerPass> passes = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        passes.add(outcomeOf(futures.get(i), servers.get(i)));
      }
      return passes;
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * The invocation as it applies to this server: its own ids only, when ids were named (each names
   * its server by system identifier); empty when none of them is this server's.
   */
  private Optional<Invocation> forThisServer(Invocation invocation, ServerIdentity server) {
    List<Target> targets = invocation.selection().targets();
    if (targets.isEmpty()) {
      return Optional.of(invocation);
    }
    List<Target> mine =
        targets.stream()
            .filter(
                t ->
                    server.systemIdentifier().isPresent()
                        && t.systemIdentifier().equals(server.systemIdentifier()))
            .toList();
    if (mine.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Invocation(
            invocation.mode(),
            invocation.action(),
            new Selection(mine, invocation.selection().filters()),
            invocation.max(),
            invocation.unverified(),
            invocation.waitFor(),
            invocation.escalate(),
            invocation.connection(),
            invocation.output(),
            invocation.rule(),
            invocation.reason()));
  }

  /** A server none of the named ids is about: it has nothing to do. */
  private static PassResult nothingHere(Invocation invocation, ServerIdentity server) {
    PassResult nothing = PassResult.on(server);
    return invocation.mode() == Mode.LIST
        ? nothing.listing(List.of(), dev.pgkill.select.LockGraph.NONE)
        : nothing.withOutcomes(Pgkill.asked(invocation), List.of());
  }

  /** The ids that named no server this run reached: each left alone, and said so. */
  private static List<Target> unclaimed(Invocation invocation, List<ServerPass> passes) {
    List<Optional<String>> reached =
        passes.stream()
            .flatMap(p -> p.identity().stream())
            .map(ServerIdentity::systemIdentifier)
            .filter(Optional::isPresent)
            .toList();
    return invocation.selection().targets().stream()
        .filter(t -> !reached.contains(t.systemIdentifier()))
        .toList();
  }

  private ServerPass outcomeOf(Future<ServerPass> future, FleetServer server) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      log.info("the pass on {} failed", server.label(), e.getCause());
      // A mistake only this server could find (a regex it rejects, --query-id before 14) is said
      // in its words, as on one server; anything else names what failed.
      String message =
          e.getCause() instanceof UsageError mistake
              ? mistake.getMessage()
              : "pgkill failed on this server: " + e.getCause();
      return new ServerPass(server, Optional.empty(), PassResult.unreachable(message));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ServerPass(
          server, Optional.empty(), PassResult.unreachable("interrupted before it was done"));
    }
  }

  private ServerPass pass(
      Pgkill pgkill,
      FleetServer server,
      Invocation invocation,
      boolean severalServers,
      PassProgress progress) {
    log.info("server {}: connecting", server.label());
    Connected connected;
    try {
      connected = connector.open(server.request());
    } catch (ConnectFailure e) {
      log.info("server {}: connection failed", server.label(), e);
      ServerPass unreached =
          new ServerPass(server, Optional.empty(), PassResult.unreachable(e.getMessage()));
      if (invocation.mode() == Mode.SIGNAL) {
        audit.unreachable(
            unreached.tag(),
            invocation.action(),
            invocation.rule(),
            invocation.reason(),
            e.getMessage());
      }
      return unreached;
    }
    try {
      Optional<Invocation> here =
          severalServers ? forThisServer(invocation, connected.server()) : Optional.of(invocation);
      PassResult result =
          here.isPresent()
              ? pgkill.pass(connected, here.get(), progress)
              : nothingHere(invocation, connected.server());
      return new ServerPass(server, Optional.of(connected.server()), result);
    } finally {
      try {
        connected.close();
      } catch (SQLException e) {
        log.info("server {}: closing the connection failed", server.label(), e);
      }
    }
  }

  /**
   * A server whose targets were all left alone: on one server that is "nothing signalled" (1), but
   * in a run over several it is a server that failed its part, which the run's status says.
   */
  private static boolean targetsAllFailed(PassResult result) {
    return result.status() == ExitStatus.NOTHING_DONE
        && result.outcomes().map(o -> !o.outcomes().isEmpty()).orElse(false);
  }
}
