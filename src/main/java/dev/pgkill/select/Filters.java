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
 * @param waitingLongerThan only sessions that have waited for a lock longer than this
 * @param connectionCap in each group of the sessions the other filters choose, all but the newest
 *     few
 * @param preparedOlderThan chooses no session: lists the prepared transactions older than this,
 *     which no signal can end
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
    Optional<Long> xminOlderThan,
    Optional<Duration> waitingLongerThan,
    Optional<ConnectionCap> connectionCap,
    Optional<Duration> preparedOlderThan,
    List<WaitEvent> waitEvents,
    List<Long> queryIds,
    Optional<String> notQueryRegex,
    List<String> clientHostnames) {

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
    waitEvents = List.copyOf(waitEvents);
    queryIds = List.copyOf(queryIds);
    clientHostnames = List.copyOf(clientHostnames);
  }

  public static Filters none() {
    return builder().build();
  }

  /** Filters that choose nothing yet: each call adds one option, as the command line does. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether some option chooses sessions by what they are or do. Exclusions (--not-query is one),
   * --newest and --oldest, and the backend type only narrow such a choice: alone, each would leave
   * (nearly) every session of that type, which pgkill never takes as a target.
   */
  public boolean any() {
    return !users.isEmpty()
        || !databases.isEmpty()
        || (!applications.isEmpty() && applications.stream().noneMatch(MatchesEverything::glob))
        || !clients.isEmpty()
        || !states.isEmpty()
        || queryRegex.filter(q -> !MatchesEverything.regex(q)).isPresent()
        || runningLongerThan.isPresent()
        || idleLongerThan.isPresent()
        || xactLongerThan.isPresent()
        || connectedLongerThan.isPresent()
        || blockers
        || xminOlderThan.isPresent()
        || !waitEvents.isEmpty()
        || !queryIds.isEmpty()
        || (!clientHostnames.isEmpty()
            && clientHostnames.stream().noneMatch(MatchesEverything::glob))
        || waitingLongerThan.isPresent()
        || connectionCap.isPresent();
  }

  /** Whether only --prepared-older-than was given: a listing of prepared transactions alone. */
  public boolean onlyPrepared() {
    return preparedOlderThan.isPresent()
        && equals(builder().preparedOlderThan(preparedOlderThan.get()).build());
  }

  /**
   * The first option given that needs what only the live server knows and a recorded listing does
   * not hold (the lock graph, transaction horizons, prepared transactions); empty when the
   * selection can be rehearsed on a snapshot.
   */
  public Optional<String> liveOnly() {
    if (blockers) {
      return Optional.of("--blockers");
    }
    if (waitingLongerThan.isPresent()) {
      return Optional.of("--waiting-longer-than");
    }
    if (xminOlderThan.isPresent()) {
      return Optional.of("--xmin-older-than");
    }
    if (preparedOlderThan.isPresent()) {
      return Optional.of("--prepared-older-than");
    }
    return Optional.empty();
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

  /** Builds {@link Filters} one option at a time; what is not set does not filter. */
  public static final class Builder {
    private List<String> users = List.of();
    private List<String> databases = List.of();
    private List<String> applications = List.of();
    private List<String> clients = List.of();
    private List<State> states = List.of();
    private Optional<String> queryRegex = Optional.empty();
    private boolean ignoreCase;
    private Optional<Duration> runningLongerThan = Optional.empty();
    private Optional<Duration> idleLongerThan = Optional.empty();
    private Optional<Duration> xactLongerThan = Optional.empty();
    private Optional<Duration> connectedLongerThan = Optional.empty();
    private List<String> backendTypes = List.of();
    private List<String> excludeUsers = List.of();
    private List<String> excludeDatabases = List.of();
    private List<String> excludeApplications = List.of();
    private Pick pick = Pick.ALL;
    private boolean blockers;
    private Optional<Duration> blockingLongerThan = Optional.empty();
    private Optional<Long> xminOlderThan = Optional.empty();
    private Optional<Duration> waitingLongerThan = Optional.empty();
    private Optional<ConnectionCap> connectionCap = Optional.empty();
    private Optional<Duration> preparedOlderThan = Optional.empty();
    private List<WaitEvent> waitEvents = List.of();
    private List<Long> queryIds = List.of();
    private Optional<String> notQueryRegex = Optional.empty();
    private List<String> clientHostnames = List.of();

    private Builder() {}

    public Builder users(List<String> users) {
      this.users = users;
      return this;
    }

    public Builder databases(List<String> databases) {
      this.databases = databases;
      return this;
    }

    public Builder applications(List<String> applications) {
      this.applications = applications;
      return this;
    }

    public Builder clients(List<String> clients) {
      this.clients = clients;
      return this;
    }

    public Builder states(List<State> states) {
      this.states = states;
      return this;
    }

    public Builder query(String regex, boolean ignoreCase) {
      this.queryRegex = Optional.of(regex);
      this.ignoreCase = ignoreCase;
      return this;
    }

    public Builder runningLongerThan(Duration age) {
      this.runningLongerThan = Optional.of(age);
      return this;
    }

    public Builder idleLongerThan(Duration age) {
      this.idleLongerThan = Optional.of(age);
      return this;
    }

    public Builder xactLongerThan(Duration age) {
      this.xactLongerThan = Optional.of(age);
      return this;
    }

    public Builder connectedLongerThan(Duration age) {
      this.connectedLongerThan = Optional.of(age);
      return this;
    }

    public Builder backendTypes(List<String> backendTypes) {
      this.backendTypes = backendTypes;
      return this;
    }

    public Builder excludeUsers(List<String> excludeUsers) {
      this.excludeUsers = excludeUsers;
      return this;
    }

    public Builder excludeDatabases(List<String> excludeDatabases) {
      this.excludeDatabases = excludeDatabases;
      return this;
    }

    public Builder excludeApplications(List<String> excludeApplications) {
      this.excludeApplications = excludeApplications;
      return this;
    }

    public Builder pick(Pick pick) {
      this.pick = pick;
      return this;
    }

    /** Only the roots of lock waits. */
    public Builder blockers() {
      this.blockers = true;
      return this;
    }

    public Builder blockingLongerThan(Duration wait) {
      this.blockingLongerThan = Optional.of(wait);
      return this;
    }

    public Builder xminOlderThan(long transactions) {
      this.xminOlderThan = Optional.of(transactions);
      return this;
    }

    public Builder waitingLongerThan(Duration wait) {
      this.waitingLongerThan = Optional.of(wait);
      return this;
    }

    public Builder connectionCap(ConnectionCap cap) {
      this.connectionCap = Optional.of(cap);
      return this;
    }

    public Builder preparedOlderThan(Duration age) {
      this.preparedOlderThan = Optional.of(age);
      return this;
    }

    public Builder waitEvents(List<WaitEvent> waitEvents) {
      this.waitEvents = waitEvents;
      return this;
    }

    public Builder queryIds(List<Long> queryIds) {
      this.queryIds = queryIds;
      return this;
    }

    /** --not-query; it ignores case when {@link #query} does, as -i says. */
    public Builder notQuery(String regex, boolean ignoreCase) {
      this.notQueryRegex = Optional.of(regex);
      this.ignoreCase = ignoreCase;
      return this;
    }

    public Builder clientHostnames(List<String> clientHostnames) {
      this.clientHostnames = clientHostnames;
      return this;
    }

    public Filters build() {
      return new Filters(
          users,
          databases,
          applications,
          clients,
          states,
          queryRegex,
          ignoreCase,
          runningLongerThan,
          idleLongerThan,
          xactLongerThan,
          connectedLongerThan,
          backendTypes,
          excludeUsers,
          excludeDatabases,
          excludeApplications,
          pick,
          blockers,
          blockingLongerThan,
          xminOlderThan,
          waitingLongerThan,
          connectionCap,
          preparedOlderThan,
          waitEvents,
          queryIds,
          notQueryRegex,
          clientHostnames);
    }
  }
}
