package dev.pgkill.cli;

import static dev.pgkill.cli.OptionValues.addresses;
import static dev.pgkill.cli.OptionValues.duration;
import static dev.pgkill.cli.OptionValues.nonEmpty;
import static dev.pgkill.cli.OptionValues.notRegex;
import static dev.pgkill.cli.OptionValues.queryIds;
import static dev.pgkill.cli.OptionValues.regex;
import static dev.pgkill.cli.OptionValues.sessions;
import static dev.pgkill.cli.OptionValues.transactions;
import static dev.pgkill.cli.OptionValues.waitEvents;

import dev.pgkill.select.ConnectionCap;
import dev.pgkill.select.Durations;
import dev.pgkill.select.Filters;
import dev.pgkill.select.Filters.Pick;
import dev.pgkill.select.State;
import dev.pgkill.text.UsageError;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The filters of DESIGN.md's table, with pkill's letters where pkill has them. */
final class SelectionOptions {
  @Option(
      names = {"-u", "--user"},
      paramLabel = "ROLE",
      order = HelpSections.SELECTION,
      description = "Sessions of this role (usename). -U is the role pgkill connects as.")
  List<String> users = new ArrayList<>();

  @Option(
      names = "--database",
      paramLabel = "NAME",
      order = HelpSections.SELECTION + 1,
      description = "Sessions connected to this database.")
  List<String> databases = new ArrayList<>();

  @Option(
      names = {"-a", "--application"},
      paramLabel = "GLOB",
      order = HelpSections.SELECTION + 2,
      description = "Sessions whose application_name matches; * and ? are wildcards.")
  List<String> applications = new ArrayList<>();

  @Option(
      names = "--client",
      paramLabel = "ADDR[/BITS]",
      order = HelpSections.SELECTION + 3,
      description = "Clients from this address or network; local for Unix-socket clients.")
  List<String> clients = new ArrayList<>();

  @Option(
      names = {"-s", "--state"},
      paramLabel = "STATE",
      order = HelpSections.SELECTION + 4,
      converter = Choices.States.class,
      completionCandidates = Choices.StateWords.class,
      description =
          "active, idle, idle-in-transaction, idle-in-transaction-aborted, fastpath,"
              + " disabled.")
  List<State> states = new ArrayList<>();

  @Option(
      names = "--query",
      paramLabel = "REGEX",
      order = HelpSections.SELECTION + 5,
      description = "Query text matching this PostgreSQL regular expression.")
  String query;

  @Option(
      names = {"-i", "--ignore-case"},
      order = HelpSections.SELECTION + 6,
      description = "--query (and --not-query) ignores case.")
  boolean ignoreCase;

  @Option(
      names = "--running-longer-than",
      paramLabel = "DUR",
      order = HelpSections.SELECTION + 7,
      description = "Active, with the query running longer than DUR (500ms, 30s, 5m, 1h30m, 2d).")
  String running;

  @Option(
      names = "--idle-longer-than",
      paramLabel = "DUR",
      order = HelpSections.SELECTION + 8,
      description = "Idle, or idle in transaction, for longer than DUR.")
  String idle;

  @Option(
      names = "--xact-longer-than",
      paramLabel = "DUR",
      order = HelpSections.SELECTION + 9,
      description = "In a transaction open for longer than DUR.")
  String xact;

  @Option(
      names = "--connected-longer-than",
      paramLabel = "DUR",
      order = HelpSections.SELECTION + 10,
      description =
          "Connected for longer than DUR. A zero DUR is refused, as it would choose"
              + " every session.")
  String connected;

  @Option(
      names = "--backend-type",
      paramLabel = "TYPE",
      completionCandidates = Choices.BackendTypeWords.class,
      order = HelpSections.SELECTION + 11,
      description =
          "Backends of this type (default: client backend; any for all),"
              + " e.g. 'autovacuum worker', walsender. A type hidden from pgkill's role is taken"
              + " only with any. Alone, it chooses nothing to signal.")
  List<String> backendTypes = new ArrayList<>();

  @Option(
      names = "--exclude-user",
      paramLabel = "ROLE",
      order = HelpSections.SELECTION + 12,
      description =
          "Leave this role's sessions alone. Exclusions, --newest and --oldest only"
              + " narrow a selection: alone, they choose nothing to signal.")
  List<String> excludeUsers = new ArrayList<>();

  @Option(
      names = "--exclude-database",
      paramLabel = "NAME",
      order = HelpSections.SELECTION + 13,
      description = "Leave sessions on this database alone.")
  List<String> excludeDatabases = new ArrayList<>();

  @Option(
      names = "--exclude-application",
      paramLabel = "GLOB",
      order = HelpSections.SELECTION + 14,
      description = "Leave sessions of matching applications alone.")
  List<String> excludeApplications = new ArrayList<>();

  @Option(
      names = "--newest",
      order = HelpSections.SELECTION + 15,
      description = "Only the one matching session that connected last.")
  boolean newest;

  @Option(
      names = "--oldest",
      order = HelpSections.SELECTION + 16,
      description = "Only the one matching session that connected first.")
  boolean oldest;

  @Option(
      names = "--blockers",
      order = HelpSections.SELECTION + 17,
      description =
          "Sessions at the root of lock waits: they block others (hard or queued"
              + " behind) and wait for no one; of sessions waiting for each other (a lock cycle),"
              + " the one whose transaction started last. Prepared transactions in the way are shown"
              + " with a ROLLBACK PREPARED hint, never signalled.")
  boolean blockers;

  @Option(
      names = "--blocking-longer-than",
      paramLabel = "DUR",
      order = HelpSections.SELECTION + 18,
      description = "With --blockers: only roots whose waiters have waited longer than DUR.")
  String blockingLongerThan;

  @Option(
      names = "--xmin-older-than",
      paramLabel = "N",
      order = HelpSections.SELECTION + 19,
      description =
          "Sessions whose backend_xmin or backend_xid, the older, is more than N"
              + " transactions old: they hold back vacuum. Shows the age and which it is. Prepared"
              + " transactions and replication slots that old are shown with a hint, never signalled.")
  String xminOlderThan;

  @Option(
      names = "--wait-event",
      paramLabel = "TYPE[:NAME]",
      order = HelpSections.SELECTION + 20,
      completionCandidates = Choices.WaitEventTypeWords.class,
      description =
          "Sessions waiting for this wait_event_type, or this one event of it (Lock,"
              + " Lock:relation, IO:DataFileRead, Client:ClientRead), in any case. TYPE is one of"
              + " Activity, BufferPin, Client, Extension, InjectionPoint, IO, IPC, Lock, LWLock,"
              + " Timeout. From PostgreSQL 17 a NAME must be one pg_wait_events lists (names of"
              + " Extension, InjectionPoint and LWLock excepted: extensions add those);"
              + " older servers take it as typed.")
  List<String> waitEvents = new ArrayList<>();

  @Option(
      names = "--query-id",
      paramLabel = "N",
      order = HelpSections.SELECTION + 21,
      description =
          "Sessions whose query_id is N (PostgreSQL 14 and later, with compute_query_id on,"
              + " or auto with pg_stat_statements loaded; refused where no session has one).")
  List<String> queryIds = new ArrayList<>();

  @Option(
      names = "--not-query",
      paramLabel = "REGEX",
      order = HelpSections.SELECTION + 22,
      description =
          "Leave sessions whose query text matches alone; -i ignores case here too. Like the"
              + " exclusions, it only narrows a selection.")
  String notQuery;

  @Option(
      names = "--client-hostname",
      paramLabel = "GLOB",
      order = HelpSections.SELECTION + 23,
      description =
          "Clients whose client_hostname matches; * and ? are wildcards. The server fills"
              + " client_hostname only when its log_hostname is on: else nothing matches.")
  List<String> clientHostnames = new ArrayList<>();

  @Option(
      names = "--waiting-longer-than",
      paramLabel = "DUR",
      order = HelpSections.SELECTION + 26,
      description =
          "Sessions waiting for a lock for longer than DUR (pg_locks.waitstart; before"
              + " PostgreSQL 14, since their query started). Shows the wait and the lock.")
  String waitingLongerThan;

  @Option(
      names = "--keep-newest",
      paramLabel = "N",
      order = HelpSections.SELECTION + 27,
      description =
          "With --per: in each group, every session but the N newest (backend_start). A group"
              + " counts the sessions the other options choose: -t --keep-newest 20 --per"
              + " application leaves at most 20 of each application. Not with --newest, --oldest.")
  String keepNewest;

  @Option(
      names = "--per",
      paramLabel = "GROUP",
      order = HelpSections.SELECTION + 28,
      converter = Choices.Groups.class,
      completionCandidates = Choices.GroupWords.class,
      description = "What --keep-newest groups by: user, application, client or database.")
  ConnectionCap.Per per;

  @Option(
      names = "--prepared-older-than",
      paramLabel = "DUR",
      order = HelpSections.SELECTION + 29,
      description =
          "Also list the prepared transactions prepared longer ago than DUR (0s for all) with"
              + " their age, owner, database and a ROLLBACK PREPARED hint; never signalled. With"
              + " --list and nothing else, only them.")
  String preparedOlderThan;

  /**
   * Each option's values checked on their own, as the server would refuse them only after
   * connecting, and --keep-newest's pairing with --per, so that a policy's rule is held to it too;
   * what the other options mean for one another is checked in {@link Invocations}.
   */
  Filters filters() {
    // In the order the checks always ran, so that of two mistakes the same one is named.
    Filters.Builder filters = Filters.builder();
    if (query != null) {
      filters.query(regex(query), ignoreCase);
    }
    filters
        .clients(addresses(nonEmpty("--client", clients)))
        .users(nonEmpty("--user", users))
        .databases(nonEmpty("--database", databases))
        .applications(nonEmpty("--application", applications))
        .states(states);
    duration("--running-longer-than", running).ifPresent(filters::runningLongerThan);
    duration("--idle-longer-than", idle).ifPresent(filters::idleLongerThan);
    duration("--xact-longer-than", xact).ifPresent(filters::xactLongerThan);
    duration("--connected-longer-than", connected).ifPresent(filters::connectedLongerThan);
    filters
        .backendTypes(nonEmpty("--backend-type", backendTypes))
        .excludeUsers(nonEmpty("--exclude-user", excludeUsers))
        .excludeDatabases(nonEmpty("--exclude-database", excludeDatabases))
        .excludeApplications(nonEmpty("--exclude-application", excludeApplications))
        .pick(newest ? Pick.NEWEST : oldest ? Pick.OLDEST : Pick.ALL);
    if (blockers) {
      filters.blockers();
    }
    duration("--blocking-longer-than", blockingLongerThan).ifPresent(filters::blockingLongerThan);
    if (xminOlderThan != null) {
      filters.xminOlderThan(transactions(xminOlderThan));
    }
    duration("--waiting-longer-than", waitingLongerThan).ifPresent(filters::waitingLongerThan);
    if (keepNewest != null && per == null) {
      throw new UsageError(
          "--keep-newest goes with --per user, application, client or database: the groups it"
              + " keeps the newest sessions of");
    }
    if (per != null && keepNewest == null) {
      throw new UsageError("--per goes with --keep-newest N: how many sessions of each to keep");
    }
    if (keepNewest != null && (newest || oldest)) {
      throw new UsageError(
          "--keep-newest and "
              + (newest ? "--newest" : "--oldest")
              + " exclude each other: one keeps sessions of each group, the other picks one"
              + " session");
    }
    if (keepNewest != null) {
      filters.connectionCap(new ConnectionCap(sessions("--keep-newest", keepNewest), per));
    }
    if (preparedOlderThan != null) {
      // Zero lists every prepared transaction: nothing is signalled, so nothing is at stake.
      filters.preparedOlderThan(Durations.parse("--prepared-older-than", preparedOlderThan));
    }
    filters.waitEvents(waitEvents(waitEvents)).queryIds(queryIds(queryIds));
    if (notQuery != null) {
      filters.notQuery(notRegex(notQuery), ignoreCase);
    }
    filters.clientHostnames(nonEmpty("--client-hostname", clientHostnames));
    return filters.build();
  }
}
