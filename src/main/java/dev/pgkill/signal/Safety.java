package dev.pgkill.signal;

import dev.pgkill.select.Filters;
import dev.pgkill.select.Found;
import dev.pgkill.select.Found.Mismatch;
import dev.pgkill.select.Selection;
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
 * pg_stat_activity, never pgkill's own, only client backends unless another type was asked for
 * (a type hidden from pgkill's role is not known to be one), only backends whose identity can be
 * checked, and never a PID that now belongs to another backend than the one the user named.
 */
public final class Safety {
  private Safety() {}

  /**
   * Splits the chosen sessions into those that may be signalled and the refusals: for named PIDs,
   * one entry per PID in the user's order; for a filter, one per session found.
   */
  public static Screening screen(Selection selection, Found found, Action action) {
    return screen(selection, found, action, false);
  }

  /**
   * @param unverified whether sessions whose backend_start is hidden may be signalled anyway,
   *     checked by the columns that stay visible (the user's explicit opt-in)
   */
  public static Screening screen(
      Selection selection, Found found, Action action, boolean unverified) {
    Map<Integer, Session> byPid =
        found.sessions().stream().collect(Collectors.toMap(Session::pid, Function.identity()));
    List<Target> targets =
        selection.byFilter()
            ? found.sessions().stream().map(s -> Target.of(s.pid())).toList()
            : selection.targets();
    List<Screened> screened = new ArrayList<>();
    for (Target target : targets) {
      Session session = byPid.get(target.pid());
      Mismatch mismatch = found.mismatches().get(target.pid());
      if (found.unmatched().contains(target.pid())) {
        // Its row and the filter it fails, when the finder knows them: the user named it.
        Session row = mismatch == null ? session : mismatch.session();
        Outcome refused = Outcome.of(target, row, action, Result.NOT_MATCHED);
        screened.add(new Screened(target, row,
            mismatch == null ? refused : refused.withReason(mismatch.why())));
        continue;
      }
      Result refusal =
          refusal(target, session, selection.filters(), unverified && namedOneByOne(selection));
      screened.add(
          refusal == null
              ? new Screened(target, session, null)
              : new Screened(target, session, Outcome.of(target, session, action, refusal)));
    }
    return new Screening(screened);
  }

  private static Result refusal(
      Target target, Session session, Filters filters, boolean unverified) {
    if (session == null) {
      return Result.NOT_FOUND;
    }
    if (session.own()) {
      return Result.OWN_SESSION;
    }
    if (session.backendType() != null && !filters.allowsBackendType(session.backendType())) {
      return Result.PROTECTED;
    }
    if (!session.identifiable()
        && !(unverified
            && session.user() != null
            && session.database() != null
            && target.backendStart().isEmpty())) {
      return Result.UNVERIFIABLE;
    }
    // What pgkill's role cannot see the type of may be a parallel worker, an autovacuum worker or
    // a logical replication worker as well as a client backend: only --backend-type any takes it.
    if (session.backendType() == null && !filters.anyBackendType()) {
      return Result.HIDDEN_TYPE;
    }
    if (!session.identifiable()) {
      return null;
    }
    if (target.backendStart().isPresent()
        && !target.backendStart().get().isEqual(session.backendStart())) {
      return Result.REPLACED;
    }
    return null;
  }

  /**
   * --unverified weakens the identity check, so it is for PIDs the user named one by one, never
   * for what a filter, or --newest and --oldest, chose among sessions pgkill cannot fully see.
   */
  private static boolean namedOneByOne(Selection selection) {
    return !selection.byFilter() && selection.filters().pick() == Filters.Pick.ALL;
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

    /**
     * This screening after the prompt, given the cleared sessions looked up {@code again} by PID
     * with the same filters: a cleared target stays cleared only while the same backend still
     * matches. One that now fails a filter is refused as not matching, with its row as it is now
     * and the filter it fails; one whose backend has exited is gone, and one whose PID now belongs
     * to another backend was replaced.
     */
    public Screening keepOnly(Found again, Action action) {
      Map<Integer, Session> matching =
          again.sessions().stream().collect(Collectors.toMap(Session::pid, Function.identity()));
      return new Screening(
          targets.stream()
              .map(s -> s.cleared() ? recheck(s, matching, again.mismatches(), action) : s)
              .toList());
    }

    private static Screened recheck(
        Screened screened, Map<Integer, Session> matching, Map<Integer, Mismatch> mismatches,
        Action action) {
      Target target = screened.target();
      Session inspected = screened.session();
      Session match = matching.get(inspected.pid());
      Mismatch mismatch = mismatches.get(inspected.pid());
      Session now = match != null ? match : mismatch == null ? null : mismatch.session();
      Outcome refused;
      if (now == null) {
        refused = Outcome.of(target, inspected, action, Result.GONE);
      } else if (!inspected.identifiable() || !now.identifiable()) {
        refused = Outcome.of(target, inspected, action, Result.NOT_MATCHED);
      } else if (!inspected.backendStart().isEqual(now.backendStart())) {
        refused = Outcome.of(target, inspected, action, Result.REPLACED);
      } else if (match != null) {
        return screened;
      } else {
        refused = Outcome.of(target, now, action, Result.NOT_MATCHED).withReason(mismatch.why());
      }
      return new Screened(target, inspected, refused);
    }

    /** Every target as an outcome, the cleared ones with the given result (a dry run's). */
    public List<Outcome> outcomes(Action action, Result cleared) {
      return targets.stream()
          .map(s -> s.cleared() ? Outcome.of(s.target(), s.session(), action, cleared) : s.refused())
          .toList();
    }
  }
}
