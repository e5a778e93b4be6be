package dev.pgkill.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real session for pgkill to hit: its own connection, optionally running {@code pg_sleep} in a
 * thread of its own, so a test can see what the signal did to it.
 */
public final class Victim implements AutoCloseable {
  /**
   * How a victim's statement ends when pgkill hits it: cancelled (57014), terminated (57P01, or the
   * connection cut under it, 08006), or run on a connection already closed (08003). Any other error
   * is a broken test, not an outcome.
   */
  private static final Set<String> SIGNALLED = Set.of("57014", "57P01", "08006", "08003");

  private final PostgresServer server;
  private final Connection connection;
  private final int pid;
  private final OffsetDateTime backendStart;
  private CompletableFuture<SQLException> running;

  private Victim(PostgresServer server, Connection connection) throws SQLException {
    this.server = server;
    this.connection = connection;
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "select pid, backend_start from pg_stat_activity where pid = pg_backend_pid()")) {
      row.next();
      this.pid = row.getInt(1);
      this.backendStart = row.getObject(2, OffsetDateTime.class);
    }
  }

  public static Victim connect(PostgresServer server, String user) throws SQLException {
    return new Victim(server, server.connect(user));
  }

  /** A session of {@code user} on {@code database} named {@code application}, idle. */
  public static Victim connect(
      PostgresServer server, String user, String database, String application) throws SQLException {
    return new Victim(server, server.connect(user, database, application));
  }

  /** {@code count} superuser sessions named {@code application}, each running pg_sleep(60). */
  public static java.util.List<Victim> sleepers(
      PostgresServer server, String application, int count) throws SQLException {
    java.util.List<Victim> victims = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", application);
      victim.sleep();
      victims.add(victim);
    }
    return victims;
  }

  public static void closeAll(java.util.List<Victim> victims) throws SQLException {
    for (Victim victim : victims) {
      victim.close();
    }
  }

  /** A session of {@code application} left idle in a transaction that has run one statement. */
  public static Victim idleInTransaction(PostgresServer server, String application)
      throws SQLException {
    Victim victim = connect(server, PostgresServer.SUPERUSER, "postgres", application);
    victim.run("begin");
    victim.run("select 1");
    return victim;
  }

  /** A session of {@code user} over the Unix-domain socket, idle. */
  public static Victim local(PostgresServer server, String user, String application)
      throws SQLException {
    return new Victim(server, server.connectLocal(user, application));
  }

  /**
   * Runs a statement in this session, such as {@code begin} to leave it idle in transaction. A
   * statement pgkill cancels or terminates ends quietly; any other error fails the test with it.
   */
  public Victim run(String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      signalled(e);
    }
    return this;
  }

  /**
   * Runs a statement that must fail, such as {@code select 1/0} after {@code begin} to leave the
   * session idle in an aborted transaction.
   */
  public Victim runFailing(String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      return this;
    }
    throw new AssertionError("backend " + pid + ": " + sql + " did not fail");
  }

  /** The error, when it is how a statement ends under pgkill's signal; a failed test otherwise. */
  private SQLException signalled(SQLException e) {
    if (!SIGNALLED.contains(e.getSQLState())) {
      throw new AssertionError(
          "backend " + pid + " failed for a reason other than a signal: " + e.getMessage(), e);
    }
    return e;
  }

  /** Starts {@code select pg_sleep(60)} and returns once the server shows it running. */
  public static Victim sleeping(PostgresServer server, String user) throws SQLException {
    Victim victim = connect(server, user);
    victim.sleep();
    return victim;
  }

  public void sleep() {
    inBackground(
        "select pg_sleep(60)",
        "to run pg_sleep",
        "select count(*) from pg_stat_activity where state = 'active' and pid = "
            + pid
            + " and query like 'select pg_sleep%'");
  }

  /**
   * Starts {@code sql} in a thread of its own and returns once the server shows it running, for a
   * statement that runs until it is stopped.
   */
  public Victim start(String sql) {
    inBackground(
        sql,
        "to run " + sql,
        "select count(*) from pg_stat_activity where state = 'active' and pid = " + pid);
    return this;
  }

  /**
   * Starts a statement that will wait for a lock, in a thread of its own, and returns once pg_locks
   * shows this session waiting.
   */
  public Victim queueFor(String sql) {
    inBackground(
        sql,
        "to wait for a lock",
        "select count(*) from pg_locks where not granted and pid = " + pid);
    return this;
  }

  /**
   * Runs {@code sql} in a thread of its own and returns once {@code oneWhenThere}, a count the
   * superuser reads, is 1: the server, not a timer, says the statement got where the test needs it.
   */
  private void inBackground(String sql, String what, String oneWhenThere) {
    running =
        CompletableFuture.supplyAsync(
            () -> {
              try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
                return null;
              } catch (SQLException e) {
                return e;
              }
            });
    PostgresServer.await(
        "backend " + pid + " " + what,
        Duration.ofSeconds(10),
        () -> {
          try {
            return "1".equals(server.queryString(PostgresServer.SUPERUSER, oneWhenThere));
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * Runs a statement and returns the error it got, or null: how an idle session learns that it was
   * terminated (57P01) in the meantime.
   */
  public SQLException errorOf(String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
      return null;
    } catch (SQLException e) {
      return e;
    }
  }

  /** Waits for the statement started in its own thread to finish without an error. */
  public void awaitSuccess() throws InterruptedException {
    try {
      SQLException failure = running.get(10, TimeUnit.SECONDS);
      if (failure != null) {
        throw new AssertionError("backend " + pid + " failed: " + failure.getMessage(), failure);
      }
    } catch (TimeoutException e) {
      throw new AssertionError("backend " + pid + ": its statement is still running");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  public int pid() {
    return pid;
  }

  public OffsetDateTime backendStart() {
    return backendStart;
  }

  /** How the sleeping query ended: the error it got, within a few seconds, or a failed test. */
  public SQLException failure() throws InterruptedException {
    try {
      SQLException failure = running.get(10, TimeUnit.SECONDS);
      if (failure == null) {
        throw new AssertionError("backend " + pid + ": pg_sleep(60) finished without an error");
      }
      return signalled(failure);
    } catch (TimeoutException e) {
      throw new AssertionError("backend " + pid + ": pg_sleep(60) is still running");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the sleeping query is still running a moment after the call; if it ended, it must have
   * ended as a signal ends it.
   */
  public boolean stillSleeping() throws InterruptedException {
    try {
      SQLException failure = running.get(300, TimeUnit.MILLISECONDS);
      if (failure != null) {
        signalled(failure);
      }
      return false;
    } catch (TimeoutException e) {
      return server.hasBackend(pid);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the session still answers a query. */
  public boolean usable() {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("select 1")) {
      return row.next();
    } catch (SQLException e) {
      return false;
    }
  }

  /** Waits until the server no longer lists this backend. */
  public void awaitGone() {
    PostgresServer.await(
        "backend " + pid + " to leave pg_stat_activity",
        Duration.ofSeconds(10),
        () -> !server.hasBackend(pid));
  }

  @Override
  public void close() throws SQLException {
    if (running != null && !running.isDone()) {
      try (Connection admin = server.connect(PostgresServer.SUPERUSER);
          Statement statement = admin.createStatement()) {
        statement.execute("select pg_terminate_backend(" + pid + ")");
      }
    }
    connection.close();
  }
}
