package dev.pgkill.run;

import dev.pgkill.connect.ConnectFailure;
import dev.pgkill.connect.Connected;
import dev.pgkill.connect.Connector;
import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.Asked;
import dev.pgkill.report.AuditTrail;
import dev.pgkill.report.Report;
import dev.pgkill.report.RunSummary;
import dev.pgkill.run.Invocation.Mode;
import dev.pgkill.signal.Outcome;
import dev.pgkill.text.UsageError;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;

/**
 * A policy applied once over several servers: every rule on each server, in file order, each server
 * on its own connection with its own {@link PolicyPass}, at most {@code --parallel} servers at a
 * time. A policy never asks, so the servers never wait for each other. What the rules did is shown
 * server by server in the order given, then one summary for the run; as on one server, a run in
 * which no rule chose anything and nothing failed prints nothing, so cron mails nothing.
 */
public final class FleetPolicy {
  private final Connector connector;
  private final Logger log;
  private final AuditTrail audit;
  private final int parallel;
  private final Stopping stopping;

  /**
   * @param stopping hears what to show if the process is stopped while a rule waits (wait,
   *     escalate)
   */
  public FleetPolicy(
      Connector connector, Logger log, AuditTrail audit, int parallel, Stopping stopping) {
    this.connector = connector;
    this.stopping = stopping;
    this.log = log;
    this.audit = audit;
    this.parallel = parallel;
  }

  /** What the rules did on one server, or why they never ran there. */
  record Applied(
      FleetServer server,
      Optional<ServerIdentity> identity,
      Optional<PolicyResult> result,
      Optional<String> failure) {

    static Applied failed(FleetServer server, String why) {
      return new Applied(server, Optional.empty(), Optional.empty(), Optional.of(why));
    }

    /**
     * As on one server, the worst over the rules; but a server whose targets were all left alone
     * failed its part of a run over several.
     */
    ExitStatus status() {
      if (result.isEmpty()) {
        return ExitStatus.FATAL;
      }
      ExitStatus status = result.get().status();
      return status == ExitStatus.NOTHING_DONE && !result.get().outcomes().isEmpty()
          ? ExitStatus.PARTIAL
          : status;
    }
  }

  /**
   * @param everything show the rules that found nothing too (-v)
   */
  public ExitStatus run(
      Policy policy, List<FleetServer> servers, Report report, boolean everything) {
    FleetPolicyShown shown =
        new FleetPolicyShown(
            servers, stopping, applied -> show(policy, servers, report, everything, applied));
    return shown.show(applied(policy, servers, shown));
  }

  /** Each server's rules in the order given, then the run's summary; returns the run's status. */
  private ExitStatus show(
      Policy policy,
      List<FleetServer> servers,
      Report report,
      boolean everything,
      List<Applied> applied) {
    List<ExitStatus> statuses = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    boolean shown = everything;
    for (Applied one : applied) {
      Report on = report.on(one.server().tag(one.identity()));
      ExitStatus status = one.status();
      statuses.add(status);
      if (status == ExitStatus.FATAL) {
        unreachable.add(one.server().label());
      } else if (status == ExitStatus.REFUSED) {
        refused.add(one.server().label());
      }
      if (one.failure().isPresent()) {
        on.error(one.failure().get());
        shown = true;
      }
      if (one.result().isPresent()) {
        PolicyResult result = one.result().get();
        result.render(on, everything);
        shown |= result.rules().stream().anyMatch(r -> r.newsworthy() || r.foundHolders());
        outcomes.addAll(result.outcomes());
      }
    }
    ExitStatus status = audit.failed() ? ExitStatus.FATAL : FleetStatus.of(statuses);
    if (shown) {
      report.run(
          new RunSummary(
              servers.size(),
              unreachable,
              refused,
              Optional.of(asked(policy)),
              outcomes,
              List.of(),
              status.code(),
              true));
    }
    return status;
  }

  /** What the run line says the rules were asked to do: a rehearsal, or the real thing. */
  private static Asked asked(Policy policy) {
    List<Invocation> invocations = policy.rules().stream().map(Rule::invocation).toList();
    Invocation first = invocations.get(0);
    return new Asked(
        first.action(),
        first.mode() == Mode.DRY_RUN,
        invocations.stream().anyMatch(i -> i.escalate().isPresent()));
  }

  /** Every server's rules, in the order given, at most {@code parallel} servers at a time. */
  private List<Applied> applied(Policy policy, List<FleetServer> servers, FleetPolicyShown shown) {
    ExecutorService threads =
        Executors.newFixedThreadPool(
            Math.min(parallel, servers.size()),
            work -> {
              Thread thread = new Thread(work, "pgkill-server");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Applied>> futures = new ArrayList<>();
      for (int i = 0; i < servers.size(); i++) {
        int index = i;
        FleetServer server = servers.get(i);
        futures.add(
            threads.submit(
                () -> {
                  Applied applied = apply(policy, server, index, shown);
                  shown.done(index, applied);
                  return applied;
                }));
      }
      List<Applied> applied = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        applied.add(outcomeOf(futures.get(i), servers.get(i)));
      }
      return applied;
    } finally {
      threads.shutdownNow();
    }
  }

  private Applied outcomeOf(Future<Applied> future, FleetServer server) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      log.info("the policy on {} failed", server.label(), e.getCause());
      // A mistake only this server could find (a regex it rejects, --query-id before 14) is said
      // in its words, as on one server; anything else names what failed.
      return Applied.failed(
          server,
          e.getCause() instanceof UsageError mistake
              ? mistake.getMessage()
              : "pgkill failed on this server: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Applied.failed(server, "interrupted before it was done");
    }
  }

  private Applied apply(Policy policy, FleetServer server, int index, FleetPolicyShown shown) {
    log.info("server {}: connecting", server.label());
    Connected connected;
    try {
      connected = connector.open(server.request());
    } catch (ConnectFailure e) {
      log.info("server {}: connection failed", server.label(), e);
      for (Rule rule : policy.rules()) {
        Invocation invocation = rule.invocation();
        if (invocation.mode() == Mode.SIGNAL) {
          audit.unreachable(
              server.tag(Optional.empty()),
              invocation.action(),
              invocation.rule(),
              invocation.reason(),
              e.getMessage());
        }
      }
      return Applied.failed(server, e.getMessage());
    }
    try {
      Pgkill pgkill = new Pgkill(connector, Confirmation.ASSUMED, log, Stopping.UNHEARD, audit);
      PolicyResult result =
          new PolicyPass(pgkill)
              .apply(
                  connected,
                  policy,
                  () -> false,
                  (before, rule) -> shown.progress(index, before, rule));
      return new Applied(
          server, Optional.of(connected.server()), Optional.of(result), Optional.empty());
    } finally {
      try {
        connected.close();
      } catch (SQLException e) {
        log.info("server {}: closing the connection failed", server.label(), e);
      }
    }
  }
}
