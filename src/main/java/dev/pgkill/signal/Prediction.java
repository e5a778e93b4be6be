package dev.pgkill.signal;

import dev.pgkill.connect.ServerVersion;
import dev.pgkill.safety.Cleared;
import dev.pgkill.safety.Refused;
import dev.pgkill.safety.Screening;
import dev.pgkill.select.BackendId;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Outcome.Result;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * A dry run's answer: what the server would do with each signal, predicted by the rules of its
 * {@code pg_signal_backend()} for this version, from what pgkill's role can see. Where that is not
 * enough to know, it says so rather than promise a signal.
 *
 * <p>The server's rules, in its order: a process outside its process array (an auxiliary process
 * such as the checkpointer) is never signalled; a superuser's process, or one without a role (from
 * the CVE-2023-5870 fix), only by a superuser, except that on 18 an autovacuum worker only by the
 * roles with the privileges of pg_signal_autovacuum_worker; any other only by roles with the
 * privileges of its role or of pg_signal_backend. "Privileges of" is the server's
 * has_privs_of_role, which {@code pg_has_role(..., 'USAGE')} asks.
 */
public final class Prediction {
  /** Processes the server never signals: not in its process array. */
  static final Set<String> AUXILIARY =
      Set.of(
          "archiver",
          "background writer",
          "checkpointer",
          "io worker",
          "logger",
          "startup",
          "wal summarizer",
          "walreceiver",
          "walwriter");

  /** Processes without a role that are in the server's process array, so can be signalled. */
  static final Set<String> ROLELESS_BACKENDS =
      Set.of(
          "autovacuum launcher",
          "autovacuum worker",
          "logical replication launcher",
          "background worker");

  static final String AUTOVACUUM_WORKER = "autovacuum worker";

  private static final String OWNERS =
      """
      select a.pid, a.backend_start, a.usesysid is null as roleless,
             coalesce(r.rolsuper, false) as superuser,
             coalesce(pg_has_role(current_user, a.usesysid, 'USAGE'), false) as privileges
        from pg_stat_activity a left join pg_roles r on r.oid = a.usesysid
       where a.pid = any (?)""";

  private final Connection connection;
  private final ServerVersion version;
  private final Logger log;

  public Prediction(Connection connection, ServerVersion version, Logger log) {
    this.connection = connection;
    this.version = version;
    this.log = log;
  }

  /** What pgkill's role is to the server. */
  record Caller(boolean superuser, boolean signalBackend, boolean signalAutovacuumWorker) {}

  /**
   * Whose a target is, as the server will judge it.
   *
   * @param roleless the process has no role (usesysid is null)
   * @param superuser its role is a superuser
   * @param privileges pgkill's role has the privileges of its role
   */
  record Owner(boolean roleless, boolean superuser, boolean privileges) {}

  /** Every target as an outcome: the refused as they were, the cleared with the prediction. */
  public List<Outcome> outcomes(Screening screening, Action action) throws SQLException {
    List<Cleared> cleared = screening.cleared();
    Caller caller = cleared.isEmpty() ? null : caller();
    Map<Integer, Seen> owners = cleared.isEmpty() ? Map.of() : owners(cleared);
    return screening.targets().stream()
        .map(
            s ->
                s instanceof Refused refused
                    ? Outcome.refused(refused, action)
                    : Outcome.of(
                        s.target(), s.session(), action, verdict(caller, owners, s.session())))
        .toList();
  }

  private Result verdict(Caller caller, Map<Integer, Seen> owners, Session session) {
    Seen seen = owners.get(session.pid());
    if (seen == null) {
      return Result.GONE;
    }
    // Hidden on both sides is the same backend for the one --unverified named.
    if (!seen.id().equals(session.id())) {
      return Result.REPLACED;
    }
    Result result = verdict(version, caller, seen.owner(), session.backendType());
    log.info(
        "dry run: {} {}: {} as {}, {}",
        session.pid(),
        session.backendType(),
        result,
        caller,
        seen.owner());
    return result;
  }

  /**
   * What the server would answer, by its rules for this version.
   *
   * @param backendType null when hidden from pgkill's role
   */
  static Result verdict(ServerVersion version, Caller caller, Owner owner, String backendType) {
    if (backendType != null && AUXILIARY.contains(backendType)) {
      return Result.WOULD_BE_REFUSED_AUXILIARY;
    }
    if (owner.roleless()) {
      return roleless(version, caller, backendType);
    }
    if (owner.superuser() && !caller.superuser()) {
      return Result.WOULD_BE_REFUSED_SUPERUSER;
    }
    if (!owner.privileges() && !caller.signalBackend()) {
      return Result.WOULD_BE_REFUSED_PRIVILEGE;
    }
    return Result.WOULD_SIGNAL;
  }

  /**
   * A process without a role. An auxiliary process has none either: when the type is hidden or
   * unknown, only a refusal that would hold for both is certain.
   */
  private static Result roleless(ServerVersion version, Caller caller, String backendType) {
    Result refusal;
    if (version.hasSignalAutovacuumWorker() && AUTOVACUUM_WORKER.equals(backendType)) {
      refusal = caller.signalAutovacuumWorker() ? null : Result.WOULD_BE_REFUSED_AUTOVACUUM;
    } else if (version.rolelessCountsAsSuperuser()) {
      refusal = caller.superuser() ? null : Result.WOULD_BE_REFUSED_SUPERUSER;
      if (refusal != null
          && backendType == null
          && version.hasSignalAutovacuumWorker()
          && caller.signalAutovacuumWorker()) {
        // Hidden: it may be an autovacuum worker, which this role may signal.
        return Result.MAY_BE_REFUSED;
      }
    } else {
      // No role is no superuser here: the privileges of pg_signal_backend are enough.
      refusal =
          caller.superuser() || caller.signalBackend() ? null : Result.WOULD_BE_REFUSED_PRIVILEGE;
    }
    if (refusal != null) {
      return refusal;
    }
    return backendType != null && ROLELESS_BACKENDS.contains(backendType)
        ? Result.WOULD_SIGNAL
        : Result.MAY_BE_REFUSED;
  }

  private Caller caller() throws SQLException {
    String sql =
        "select r.rolsuper, pg_has_role(current_user, 'pg_signal_backend', 'USAGE'), "
            + (version.hasSignalAutovacuumWorker()
                ? "pg_has_role(current_user, 'pg_signal_autovacuum_worker', 'USAGE')"
                : "false")
            + " from pg_roles r where r.rolname = current_user";
    log.debug("{}", sql);
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      row.next();
      return new Caller(row.getBoolean(1), row.getBoolean(2), row.getBoolean(3));
    }
  }

  /** A target's row now: its identity, to know it is the same backend, and its owner. */
  private record Seen(BackendId id, Owner owner) {}

  private Map<Integer, Seen> owners(List<Cleared> cleared) throws SQLException {
    Map<Integer, Seen> owners = new HashMap<>();
    Integer[] pids = cleared.stream().map(s -> s.session().pid()).toArray(Integer[]::new);
    log.debug("{}\n  with {} pids", OWNERS, pids.length);
    try (PreparedStatement statement = connection.prepareStatement(OWNERS)) {
      Array array = connection.createArrayOf("int4", pids);
      statement.setArray(1, array);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          owners.put(
              row.getInt("pid"),
              new Seen(
                  new BackendId(
                      row.getInt("pid"), row.getObject("backend_start", OffsetDateTime.class)),
                  new Owner(
                      row.getBoolean("roleless"),
                      row.getBoolean("superuser"),
                      row.getBoolean("privileges"))));
        }
      } finally {
        array.free();
      }
    }
    return owners;
  }
}
