package dev.pgkill.connect;

import static dev.pgkill.connect.SettingText.path;

import dev.pgkill.text.UsageError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a service entry ({@code service=} or {@code PGSERVICE}) is looked up, as libpq does: the
 * user's file ({@code servicefile}, {@code PGSERVICEFILE} or {@code ~/.pg_service.conf}) first,
 * then the system-wide {@code pg_service.conf} in {@code PGSYSCONFDIR}.
 */
final class ServiceFiles {
  /** Where Debian's libpq looks for pg_service.conf when PGSYSCONFDIR is not set. */
  static final Path DEFAULT_SYSCONFDIR = Path.of("/etc/postgresql-common");

  private final Environment environment;

  ServiceFiles(Environment environment) {
    this.environment = environment;
  }

  /** The entry's keywords; {@code servicefile} is the keyword's value, or null. */
  Map<String, String> find(String name, String servicefile) {
    String userFile =
        SettingText.present(servicefile) ? servicefile : environment.get("PGSERVICEFILE");
    String sysconfdir = environment.get("PGSYSCONFDIR");
    List<Path> files =
        List.of(
            userFile != null
                ? path("servicefile", userFile)
                : environment.home().resolve(".pg_service.conf"),
            (sysconfdir != null ? path("PGSYSCONFDIR", sysconfdir) : DEFAULT_SYSCONFDIR)
                .resolve("pg_service.conf"));
    for (Path file : files) {
      Optional<Map<String, String>> entry = new ServiceFile(file).find(name);
      if (entry.isPresent()) {
        return entry.get();
      }
    }
    throw new UsageError(
        "definition of service \""
            + name
            + "\" not found (looked in "
            + files.get(0)
            + " and "
            + files.get(1)
            + ")");
  }
}
