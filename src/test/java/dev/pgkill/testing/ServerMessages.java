package dev.pgkill.testing;

/**
 * The server's words for a refused signal, per major version, as POSTGRES-FACTS.md measured them:
 * the one place the tests know how they changed in 16.
 */
public final class ServerMessages {
  private ServerMessages() {}

  /** The ERROR (and DETAIL, from 16) when a role may not cancel a session of {@code owner}. */
  public static String cancelDenied(int major, boolean superuserOwner) {
    if (major >= 16) {
      return superuserOwner
          ? "permission denied to cancel query DETAIL: Only roles with the SUPERUSER attribute may"
              + " cancel queries of roles with the SUPERUSER attribute."
          : "permission denied to cancel query DETAIL: Only roles with privileges of the role whose"
              + " query is being canceled or with privileges of the \"pg_signal_backend\" role may"
              + " cancel this query.";
    }
    return superuserOwner
        ? "must be a superuser to cancel superuser query"
        : "must be a member of the role whose query is being canceled or member of"
            + " pg_signal_backend";
  }
}
