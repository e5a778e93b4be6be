package dev.pgkill.report;

import dev.pgkill.select.Filters;
import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Outcome;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.Timestamps;

/** The words for an outcome, shared by every output format. */
final class ResultText {
  private ResultText() {}

  /**
   * What became of the target: with --wait, whether it really ended; with --escalate, the cancel
   * and then the terminate, {@code still running after 10s → terminated}.
   */
  static String of(Outcome outcome) {
    String first = outcome.waited().map(ResultText::waited).orElseGet(() -> signal(outcome));
    return outcome.escalation().map(terminate -> first + " → " + of(terminate)).orElse(first);
  }

  static String waited(Waited waited) {
    return switch (waited.ending()) {
      case CANCELLED -> "cancelled";
      case TERMINATED -> "terminated";
      case ENDED -> "ended: the whole session is gone";
      case ENDED_BY_ITSELF -> "ended by itself: the session ended its transaction";
      case NOTHING_TO_CANCEL -> "nothing to cancel: no query was running";
      case STILL_RUNNING -> "still running after " + Cells.age(waited.waited());
      case STILL_IN_TRANSACTION -> "still idle in transaction after " + Cells.age(waited.waited());
      case UNKNOWN -> "signalled, but whether it ended cannot be seen";
      case CONNECTION_LOST ->
          "signalled, then the connection was lost: whether it ended is unknown";
      case INTERRUPTED ->
          "signalled, then pgkill was stopped after waiting "
              + Cells.age(waited.waited())
              + ": whether it ended is unknown";
    };
  }

  /** Why the target was or was not signalled, with the server's words when it said something. */
  static String signal(Outcome outcome) {
    return switch (outcome.result()) {
      case SIGNALLED -> "signalled (" + outcome.action().function() + " returned true)";
      case WOULD_SIGNAL -> "would " + outcome.action().verb() + " (dry run)";
      case WOULD_BE_REFUSED_SUPERUSER,
          WOULD_BE_REFUSED_PRIVILEGE,
          WOULD_BE_REFUSED_AUTOVACUUM,
          WOULD_BE_REFUSED_AUXILIARY,
          MAY_BE_REFUSED ->
          wouldBeRefused(outcome);
      case NOT_FOUND,
          NOT_MATCHED,
          OWN_SESSION,
          PROTECTED,
          UNVERIFIABLE,
          HIDDEN_TYPE,
          REPLACED,
          OTHER_SERVER,
          GONE ->
          "not signalled: " + leftAlone(outcome);
      case FINISHED_IN_GRACE ->
          "not terminated: ended by itself just before (it finished that query or transaction)";
      case DENIED, WARNING, FALSE, ERROR, CONNECTION_LOST, NOT_ATTEMPTED -> failed(outcome);
    };
  }

  /** A dry run: why the server would, or might, refuse the signal pgkill's role would send. */
  private static String wouldBeRefused(Outcome outcome) {
    return switch (outcome.result()) {
      case WOULD_BE_REFUSED_SUPERUSER ->
          role(outcome) == null
              ? "would be refused: a process without a role counts as a superuser's, which only a"
                  + " superuser may signal"
                  + (typeHidden(outcome)
                      ? " (or it is an auxiliary process, which the server never signals)"
                      : "")
              : "would be refused: only a superuser may signal a superuser's session ("
                  + role(outcome)
                  + ")";
      case WOULD_BE_REFUSED_PRIVILEGE ->
          role(outcome) == null
              ? "would be refused: it has no role, and pgkill's role lacks the privileges of"
                  + " pg_signal_backend"
              : "would be refused: pgkill's role has neither the privileges of role "
                  + role(outcome)
                  + " nor those of pg_signal_backend";
      case WOULD_BE_REFUSED_AUTOVACUUM ->
          "would be refused: only roles with the privileges of pg_signal_autovacuum_worker may"
              + " signal autovacuum workers";
      case WOULD_BE_REFUSED_AUXILIARY ->
          "would be refused: the server never signals "
              + withArticle(backendType(outcome))
              + ", an auxiliary process";
      case MAY_BE_REFUSED ->
          "may be refused: whether the server signals "
              + (typeHidden(outcome)
                  ? "a process without a role whose type is hidden"
                  : withArticle(backendType(outcome)))
              + " for pgkill's role cannot be told; it would try to "
              + outcome.action().verb();
      default -> throw new IllegalArgumentException("not a refusal: " + outcome.result());
    };
  }

  /** Why pgkill itself left the target alone, after {@code not signalled: }. */
  private static String leftAlone(Outcome outcome) {
    return switch (outcome.result()) {
      case NOT_FOUND -> "not a PostgreSQL backend of this server";
      case NOT_MATCHED -> SafeText.oneLine(outcome.reason().orElse("does not match the filters"));
      case OWN_SESSION -> "pgkill's own session";
      case PROTECTED ->
          Filters.PARALLEL_WORKER.equals(backendType(outcome))
              ? "a parallel worker" + leader(outcome)
              : withArticle(backendType(outcome))
                  + ", not a client backend (--backend-type chooses others)";
      case UNVERIFIABLE ->
          "its backend_start is hidden from pgkill's role, so it cannot be"
              + " identified safely (grant pg_read_all_stats or pg_monitor, or use --unverified)";
      case HIDDEN_TYPE ->
          "its backend type is hidden from pgkill's role, so it may not be a client"
              + " backend (grant pg_read_all_stats or pg_monitor, or use --backend-type any)";
      case REPLACED -> replaced(outcome);
      case OTHER_SERVER ->
          "its id was taken on another server (system identifier "
              + outcome.target().systemIdentifier().orElse("?")
              + "), not on this one";
      case GONE -> "gone since it was inspected";
      default -> throw new IllegalArgumentException("not left alone: " + outcome.result());
    };
  }

  /** The signal was tried: what the server answered, or that the connection went. */
  private static String failed(Outcome outcome) {
    String function = outcome.action().function();
    return switch (outcome.result()) {
      case DENIED, ERROR -> "not signalled: " + server(outcome);
      case WARNING -> "not signalled: " + function + " returned false, " + server(outcome);
      case FALSE -> "not signalled: " + function + " returned false";
      case CONNECTION_LOST ->
          "unknown: the connection was lost while signalling; the signal may have been sent"
              + serverSuffix(outcome);
      case NOT_ATTEMPTED -> "not attempted: the connection was lost before its turn";
      default -> throw new IllegalArgumentException("not a failure: " + outcome.result());
    };
  }

  /** {@code a checkpointer}, {@code an autovacuum launcher}: every backend type reads as spelt. */
  static String withArticle(String noun) {
    boolean vowel = !noun.isEmpty() && "aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0;
    return (vowel ? "an " : "a ") + noun;
  }

  /** Whom to signal instead of a parallel worker: its leader, named when the server shows it. */
  private static String leader(Outcome outcome) {
    Integer leader = outcome.session().map(Session::leaderPid).orElse(null);
    return leader == null
        ? "; signal the query's leader instead"
        : " of leader PID " + leader + "; signal the leader instead";
  }

  private static String backendType(Outcome outcome) {
    return outcome.session().map(Session::backendType).orElse("backend");
  }

  private static boolean typeHidden(Outcome outcome) {
    return outcome.session().map(Session::backendType).isEmpty();
  }

  /** The target's role, on one line; null when it has none. */
  private static String role(Outcome outcome) {
    return outcome.session().map(Session::user).map(SafeText::oneLine).orElse(null);
  }

  private static String replaced(Outcome outcome) {
    Target target = outcome.target();
    Session session = outcome.session().orElse(null);
    if (target.backendStart().isPresent() && session != null && session.backendStart() != null) {
      return "PID "
          + target.pid()
          + " now belongs to a backend started "
          + Timestamps.utc(session.backendStart())
          + ", not the one named (started "
          + Timestamps.utc(target.backendStart().get())
          + ")";
    }
    return "PID " + target.pid() + " was reused by a new backend since it was inspected";
  }

  private static String serverSuffix(Outcome outcome) {
    return outcome.message().map(m -> " (" + SafeText.oneLine(m.text()) + ")").orElse("");
  }

  /** {@code ERROR 42501: permission denied to cancel query DETAIL: Only roles ...} */
  static String server(Outcome outcome) {
    return outcome.message().map(ResultText::server).orElse("no message from the server");
  }

  static String server(ServerMessage message) {
    StringBuilder text = new StringBuilder();
    text.append(message.severity()).append(' ').append(message.sqlState()).append(": ");
    text.append(message.text());
    if (message.detail() != null) {
      text.append(" DETAIL: ").append(message.detail());
    }
    return SafeText.oneLine(text.toString());
  }
}
