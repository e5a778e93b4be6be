package dev.pgkill.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Three real servers side by side, for runs over several: the test run's shared one and two started
 * for one test class (started together, about one server's start-up), which the class closes. The
 * two are of other majors when the build names their binaries (the system property {@value
 * #BINARIES}: two jars, comma-separated, which the pom copies for the integration tests), else of
 * the shared one's.
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

  /** The system property naming the other majors' binaries jars. */
  public static final String BINARIES = "pgkill.fleet.binaries";

  public static ThreeServers around(PostgresServer shared) {
    List<Path> binaries = otherMajors();
    List<CompletableFuture<PostgresServer>> starting = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path jar = binaries.isEmpty() ? null : binaries.get(i);
      starting.add(
          CompletableFuture.supplyAsync(
              () ->
                  jar == null
                      ? PostgresServer.start(Map.of())
                      : PostgresServer.startFrom(jar, Map.of())));
    }
    return new ThreeServers(shared, starting.stream().map(CompletableFuture::join).toList());
  }

  /** The two jars the build named, each a file; none when it named none. */
  private static List<Path> otherMajors() {
    String named = System.getProperty(BINARIES, "");
    if (named.isBlank()) {
      return List.of();
    }
    List<Path> jars = Arrays.stream(named.split(",")).map(String::strip).map(Path::of).toList();
    if (jars.size() != 2 || !jars.stream().allMatch(Files::isRegularFile)) {
      throw new IllegalStateException(BINARIES + " must name two binaries jars: " + named);
    }
    return jars;
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
