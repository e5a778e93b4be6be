package dev.pgkill.select;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a session must look like to be chosen. Options AND together; the values of one repeatable
 * option OR together. Empty lists and empty optionals do not filter.
 *
 * @param applications globs with {@code *} and {@code ?}
 * @param clients {@code local}, or an address or network such as {@code 10.0.0.0/8}
 * @param backendTypes empty for client backends only; {@code any} for every type
 * @param blockers only the sessions at the root of lock waits, and one for each lock cycle
 * @param blockingLongerThan with blockers: only roots whose waiters have waited longer
 * @param xminOlderThan only sessions whose backend_xmin or backend_xid, the older, is more than
 *     this many transactions old
 */
public record Filters(
    List<String> users,
    List<String> databases,
    List<String> applications,
    List<String> clients,
    List<State> states,
    Optional<String> queryRegex,
    boolean ignoreCase,
    Optional<Duration> runningLongerThan,
    Optional<Duration> idleLongerThan,
    Optional<Duration> xactLongerThan,
    Optional<Duration> connectedLongerThan,
    List<String> backendTypes,
    List<String> excludeUsers,
    List<String> excludeDatabases,
    List<String> excludeApplications,
    Pick pick,
    boolean blockers,
    Optional<Duration> blockingLongerThan,
    Optional<Long> xminOlderThan) {

  public static final String ANY_BACKEND_TYPE = "any";

  /** Keep only one session: the newest or the oldest by backend_start. */
  public enum Pick {
    ALL,
    NEWEST,
    OLDEST
  }

  public Filters {
    users = List.copyOf(users);
    databases = List.copyOf(databases);
    applications = List.copyOf(applications);
    clients = List.copyOf(clients);
    states = List.copyOf(states);
    backendTypes = List.copyOf(backendTypes);
    excludeUsers = List.copyOf(excludeUsers);
    excludeDatabases = List.copyOf(excludeDatabases);
    excludeApplications = List.copyOf(excludeApplications);
  }

  public static Filters none() {
    return new Filters(
        List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty(), false,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
        List.of(), List.of(), List.of(), Pick.ALL, false, Optional.empty(), Optional.empty());
  }

  /**
   * Whether some option chooses sessions by what they are or do. Exclusions, --newest and
   * --oldest, and the backend type only narrow such a choice: alone, each would leave (nearly)
   * every session of that type, which pgkill never takes as a target.
   */
  public boolean any() {
    return !users.isEmpty()
        || !databases.isEmpty()
        || !applications.isEmpty()
        || !clients.isEmpty()
        || !states.isEmpty()
        || queryRegex.isPresent()
        || runningLongerThan.isPresent()
        || idleLongerThan.isPresent()
        || xactLongerThan.isPresent()
        || connectedLongerThan.isPresent()
        || blockers
        || xminOlderThan.isPresent();
  }

  /** Whether --backend-type any was given: every type, even one hidden from pgkill's role. */
  public boolean anyBackendType() {
    return backendTypes.contains(ANY_BACKEND_TYPE);
  }

  /** Parallel workers are never signalled on their own: their leader is. */
  public static final String PARALLEL_WORKER = "parallel worker";

  /** Whether a session of this backend type may be chosen. */
  public boolean allowsBackendType(String backendType) {
    if (PARALLEL_WORKER.equals(backendType)) {
      return false;
    }
    if (backendTypes.contains(ANY_BACKEND_TYPE)) {
      return true;
    }
    return backendTypes.isEmpty()
        ? Session.CLIENT_BACKEND.equals(backendType)
        : backendTypes.contains(backendType);
  }
}
