package dev.pgkill.signal;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Outcome.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules that always hold, applied before anything is signalled: only sessions seen in
 * pg_stat_activity, never pgkill's own, only client backends, only backends whose identity can be
 * checked, and never a PID that now belongs to another backend than the one the user named.
 */
public final class Safety {
  private Safety() {}

  /** Splits the targets into the sessions that may be signalled and the refusals. */
  public static Screening screen(List<Target> targets, List<Session> found, Action action) {
    Map<Integer, Session> byPid =
        found.stream().collect(Collectors.toMap(Session::pid, Function.identity()));
    List<Screened> screened = new ArrayList<>();
    for (Target target : targets) {
      Session session = byPid.get(target.pid());
      Result refusal = refusal(target, session);
      screened.add(
          refusal == null
              ? new Screened(target, session, null)
              : new Screened(target, session, Outcome.of(target, session, action, refusal)));
    }
    return new Screening(screened);
  }

  private static Result refusal(Target target, Session session) {
    if (session == null) {
      return Result.NOT_FOUND;
    }
    if (session.own()) {
      return Result.OWN_SESSION;
    }
    if (!session.identifiable()) {
      return Result.UNVERIFIABLE;
    }
    if (!session.clientBackend()) {
      return Result.PROTECTED;
    }
    if (target.backendStart().isPresent()
        && !target.backendStart().get().isEqual(session.backendStart())) {
      return Result.REPLACED;
    }
    return null;
  }

  /** One target after screening: either cleared to be signalled, or already decided. */
  public record Screened(Target target, Session session, Outcome refused) {
    public boolean cleared() {
      return refused == null;
    }
  }

  /** The targets in the order the user gave them, each cleared or refused. */
  public record Screening(List<Screened> targets) {
    public Screening {
      targets = List.copyOf(targets);
    }

    public List<Screened> cleared() {
      return targets.stream().filter(Screened::cleared).toList();
    }
  }
}
