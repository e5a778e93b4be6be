package dev.pgkill.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Three real servers side by side, for runs over several: the test run's shared one and two of the
 * same major started for one test class (started together, about one server's start-up), which the
 * class closes. Embedded binaries come one major per Maven artifact, so the three are one major.
 */
public final class ThreeServers implements AutoCloseable {
  private final List<PostgresServer> servers;
  private final List<PostgresServer> own;

  private ThreeServers(PostgresServer shared, List<PostgresServer> own) {
    this.own = List.copyOf(own);
    List<PostgresServer> all = new ArrayList<>();
    all.add(shared);
    all.addAll(own);
    this.servers = List.copyOf(all);
  }

  public static ThreeServers around(PostgresServer shared) {
    List<CompletableFuture<PostgresServer>> starting = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      starting.add(CompletableFuture.supplyAsync(() -> PostgresServer.start(Map.of())));
    }
    return new ThreeServers(shared, starting.stream().map(CompletableFuture::join).toList());
  }

  public List<PostgresServer> all() {
    return servers;
  }

  public PostgresServer get(int index) {
    return servers.get(index);
  }

  /** {@code host=localhost port=N user=postgres}: how {@code --server} names this one. */
  public static String conninfo(PostgresServer server) {
    return "host=localhost port=" + server.port() + " user=" + PostgresServer.SUPERUSER;
  }

  /** {@code localhost:N}: how the report labels a server given by {@link #conninfo}. */
  public static String label(PostgresServer server) {
    return "localhost:" + server.port();
  }

  /** A TCP port nothing listens on, for a server that is down. */
  public static int deadPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    for (PostgresServer server : own) {
      server.close();
    }
  }
}
