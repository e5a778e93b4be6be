package dev.pgkill.safety;

import dev.pgkill.select.Filters;
import dev.pgkill.select.Found;
import dev.pgkill.select.Found.Mismatch;
import dev.pgkill.select.Selection;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules that always hold, applied before anything is signalled: only sessions seen in
 * pg_stat_activity, never pgkill's own, only client backends unless another type was asked for (a
 * type hidden from pgkill's role is not known to be one), only backends whose identity can be
 * checked, and never a PID that now belongs to another backend than the one the user named.
 */
public final class Safety {
  private Safety() {}

  /**
   * Splits the chosen sessions into those that may be signalled and the refusals: for named PIDs,
   * one entry per PID in the user's order; for a filter, one per session found.
   */
  public static Screening screen(Selection selection, Found found) {
    return screen(selection, found, false);
  }

  /**
   * @param unverified whether sessions whose backend_start is hidden may be signalled anyway,
   *     checked by the columns that stay visible (the user's explicit opt-in)
   */
  public static Screening screen(Selection selection, Found found, boolean unverified) {
    return screen(selection, found, unverified, Optional.empty());
  }

  /**
   * @param systemIdentifier this server's, when pgkill's role may read it: a token that names
   *     another server's is refused, whatever backend has its PID here
   */
  public static Screening screen(
      Selection selection, Found found, boolean unverified, Optional<String> systemIdentifier) {
    Map<Integer, Session> byPid =
        found.sessions().stream().collect(Collectors.toMap(Session::pid, Function.identity()));
    List<Target> targets =
        selection.byFilter()
            ? found.sessions().stream().map(s -> Target.of(s.pid())).toList()
            : selection.targets();
    List<Screened> screened = new ArrayList<>();
    for (Target target : targets) {
      Session session = byPid.get(target.pid());
      if (otherServer(target, systemIdentifier)) {
        // The session with that PID here is not the one the user saw: show none of it.
        screened.add(new Refused(target, null, Refusal.OTHER_SERVER));
        continue;
      }
      if (found.unmatched().contains(target.pid())) {
        // Its row and the filter it fails, when the finder knows them: the user named it.
        Mismatch mismatch = found.mismatches().get(target.pid());
        screened.add(
            mismatch == null
                ? new Refused(target, session, Refusal.NOT_MATCHED)
                : new Refused(
                    target, mismatch.session(), Refusal.NOT_MATCHED, Optional.of(mismatch.why())));
        continue;
      }
      Refusal refusal =
          refusal(target, session, selection.filters(), unverified && namedOneByOne(selection));
      screened.add(
          refusal == null ? new Cleared(target, session) : new Refused(target, session, refusal));
    }
    return new Screening(screened);
  }

  private static boolean otherServer(Target target, Optional<String> systemIdentifier) {
    return target.systemIdentifier().isPresent()
        && systemIdentifier.isPresent()
        && !target.systemIdentifier().equals(systemIdentifier);
  }

  private static Refusal refusal(
      Target target, Session session, Filters filters, boolean unverified) {
    if (session == null) {
      return Refusal.NOT_FOUND;
    }
    if (session.own()) {
      return Refusal.OWN_SESSION;
    }
    if (session.backendType() != null && !filters.allowsBackendType(session.backendType())) {
      return Refusal.PROTECTED;
    }
    if (!session.identifiable()
        && !(unverified
            && session.user() != null
            && session.database() != null
            && target.backendStart().isEmpty())) {
      return Refusal.UNVERIFIABLE;
    }
    // What pgkill's role cannot see the type of may be a parallel worker, an autovacuum worker or
    // a logical replication worker as well as a client backend: only --backend-type any takes it.
    if (session.backendType() == null && !filters.anyBackendType()) {
      return Refusal.HIDDEN_TYPE;
    }
    if (!session.identifiable()) {
      return null;
    }
    if (target.backendId().isPresent() && !target.backendId().get().equals(session.id())) {
      return Refusal.REPLACED;
    }
    return null;
  }

  /**
   * --unverified weakens the identity check, so it is for PIDs the user named one by one, never for
   * what a filter, or --newest and --oldest, chose among sessions pgkill cannot fully see.
   */
  private static boolean namedOneByOne(Selection selection) {
    return !selection.byFilter() && selection.filters().pick() == Filters.Pick.ALL;
  }
}
