package dev.pgkill.connect;

import java.nio.file.Path;

/** One server address: a host name or IP address and port, or a Unix-socket directory and port. */
public record Endpoint(String host, int port) {

  /** As in libpq, a host that starts with a slash is the directory of the server's socket. */
  public boolean isSocket() {
    return host.startsWith("/");
  }

  /** The socket file, {@code <directory>/.s.PGSQL.<port>}, as the server names it. */
  public Path socketFile() {
    return Path.of(host, ".s.PGSQL." + port);
  }
}
