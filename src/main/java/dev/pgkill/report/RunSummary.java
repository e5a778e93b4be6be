package dev.pgkill.report;

import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * The one summary of a run over several servers, after each server's own.
 *
 * @param servers how many servers the run was given
 * @param unreachable the labels of those it could not reach, or that failed outside any target
 * @param refused the labels of those whose pass was refused whole (--max, the prompt)
 * @param asked what a signalling run or dry run was asked to do; empty for a listing
 * @param outcomes every target of every server
 * @param sessions with --list: every session listed on every server
 * @param status the run's exit status
 * @param policy whether a policy's rules ran on each server, whose actions may differ
 */
public record RunSummary(
    int servers,
    List<String> unreachable,
    List<String> refused,
    Optional<Asked> asked,
    List<Outcome> outcomes,
    List<Session> sessions,
    int status,
    boolean policy) {

  /** The summary of a command line's run over several servers. */
  public RunSummary(
      int servers,
      List<String> unreachable,
      List<String> refused,
      Optional<Asked> asked,
      List<Outcome> outcomes,
      List<Session> sessions,
      int status) {
    this(servers, unreachable, refused, asked, outcomes, sessions, status, false);
  }

  public RunSummary {
    unreachable = List.copyOf(unreachable);
    refused = List.copyOf(refused);
    outcomes = List.copyOf(outcomes);
    sessions = List.copyOf(sessions);
  }

  int reached() {
    return servers - unreachable.size();
  }
}
