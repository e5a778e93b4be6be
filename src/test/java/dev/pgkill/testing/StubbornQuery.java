package dev.pgkill.testing;

import java.sql.SQLException;

/**
 * A query that survives cancels, counting each one it caught in a sequence of its own: a wait for
 * it to end lasts as long as the waiter allows, and the count shows the cancel really arrived.
 */
public final class StubbornQuery implements AutoCloseable {
  private final PostgresServer server;
  private final Victim victim;
  private final String counter;

  private StubbornQuery(PostgresServer server, Victim victim, String counter) {
    this.server = server;
    this.victim = victim;
    this.counter = counter;
  }

  /** Starts the query in a session of {@code application} and returns once it runs. */
  public static StubbornQuery start(PostgresServer server, String application) throws SQLException {
    String counter = Fixtures.unique("cancels").replace('-', '_');
    server.execute("create sequence " + counter);
    Victim victim = Victim.connect(server, PostgresServer.SUPERUSER, "postgres", application);
    victim.start(
        "do $$ begin loop begin perform pg_sleep(60); exception when query_canceled then"
            + " perform nextval('"
            + counter
            + "'); end; end loop; end $$");
    return new StubbornQuery(server, victim, counter);
  }

  public int pid() {
    return victim.pid();
  }

  /** How many cancels the query has caught and shrugged off. */
  public long cancelsCaught() {
    try {
      return Long.parseLong(
          server.queryString(
              PostgresServer.SUPERUSER,
              "select case when is_called then last_value else 0 end from " + counter));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Terminates the session, which a cancel never ends. */
  @Override
  public void close() throws SQLException {
    try {
      server.execute("select pg_terminate_backend(" + victim.pid() + ")");
    } finally {
      victim.close();
    }
  }
}
