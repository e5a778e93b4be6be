package dev.pgkill.connect;

import static dev.pgkill.connect.SettingText.list;
import static dev.pgkill.connect.SettingText.path;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The password file's part when no setting gave a password: {@code passfile} (PGPASSFILE) or {@code
 * ~/.pgpass}, searched for each server in turn as libpq does.
 */
final class PasswordLookup {
  private final Environment environment;
  private final Consumer<String> warnings;

  PasswordLookup(Environment environment, Consumer<String> warnings) {
    this.environment = environment;
    this.warnings = warnings;
  }

  /**
   * libpq looks a password up under the host name, else the hostaddr, else {@code localhost}; a
   * connection through the default socket directory is {@code localhost} too.
   */
  Optional<String> find(
      Map<String, String> values, List<Endpoint> endpoints, String user, String database) {
    String passfile = values.get("passfile");
    PassFile file =
        new PassFile(
            passfile != null ? path("passfile", passfile) : environment.home().resolve(".pgpass"),
            warnings);
    List<String> hosts = list(values.get("host"));
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      String host = i < hosts.size() && !hosts.get(i).isEmpty() ? hosts.get(i) : endpoint.host();
      if (endpoint.isSocket() && environment.socketDirectories().contains(path("host", host))) {
        host = HostList.DEFAULT_HOST;
      }
      Optional<String> password =
          file.find(host, Integer.toString(endpoint.port()), database, user);
      // An empty password is no password, as in libpq.
      if (password.isPresent() && !password.get().isEmpty()) {
        return password;
      }
    }
    return Optional.empty();
  }
}
