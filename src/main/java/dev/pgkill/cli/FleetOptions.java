package dev.pgkill.cli;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.connect.ConnectionSettings;
import dev.pgkill.connect.SettingsResolver;
import dev.pgkill.run.FleetServer;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Several servers in one run: which, and how many at a time. */
final class FleetOptions {
  static final int DEFAULT_PARALLEL = 8;
  static final int MOST_PARALLEL = 64;

  @Option(
      names = "--server",
      paramLabel = "CONNINFO",
      order = HelpSections.SERVERS,
      description =
          "A server to run on, as a postgresql:// URI or a key=value string (service=NAME"
              + " names a service); repeat for several. Each is reached as -d would reach it,"
              + " with -h -p -U and a -d name filling in what it leaves unset; host=a,b stays"
              + " one server with a fallback.")
  List<String> servers = new ArrayList<>();

  @Option(
      names = "--service",
      paramLabel = "NAME",
      order = HelpSections.SERVERS + 1,
      description = "A server named in the service file, as service=NAME; repeat for several.")
  List<String> services = new ArrayList<>();

  @Option(
      names = "--servers",
      paramLabel = "FILE",
      order = HelpSections.SERVERS + 2,
      description =
          "Servers to run on, one --server value per line; blank lines and lines starting with"
              + " # are skipped.")
  Path file;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      order = HelpSections.SERVERS + 3,
      description =
          "Work on at most N servers at a time, 1 to "
              + MOST_PARALLEL
              + " (default: ${DEFAULT-VALUE}).")
  int parallel = DEFAULT_PARALLEL;

  @Option(
      names = "--max-total",
      paramLabel = "N",
      // Beside --max, in the Safety section.
      order = HelpSections.SAFETY + 3,
      description =
          "Refuse the whole run if more than N sessions would be signalled over all the"
              + " servers together; --max still counts per server.")
  Integer maxTotal;

  /** Whether the run names its servers here rather than with -h -p -d. */
  boolean requested() {
    return !servers.isEmpty() || !services.isEmpty() || file != null;
  }

  int parallel() {
    if (parallel < 1 || parallel > MOST_PARALLEL) {
      throw new UsageError(
          "invalid --parallel \"" + parallel + "\": must be from 1 to " + MOST_PARALLEL);
    }
    return parallel;
  }

  Optional<Integer> maxTotal() {
    if (maxTotal != null && maxTotal < 1) {
      throw new UsageError("invalid --max-total \"" + maxTotal + "\": must be at least 1");
    }
    return Optional.ofNullable(maxTotal);
  }

  /**
   * Every server named, in the order given (--server, --service, then the file's), each resolved
   * now as it will be when connecting, so that a bad entry stops the run before any server is
   * reached. {@code base} carries -h -p -U -d, which fill in what each entry leaves unset.
   */
  List<FleetServer> servers(ConnectionRequest base, SettingsResolver resolver) {
    if (base.dbname() != null && SettingsResolver.isConninfo(base.dbname())) {
      throw new UsageError(
          "-d takes only a database name with --server, --service or --servers: give each"
              + " server's connection string as its own --server");
    }
    if (base.passwordPrompt() == ConnectionRequest.PasswordPrompt.ALWAYS) {
      throw new UsageError(
          "-W asks for one password: with several servers, put them in ~/.pgpass or the"
              + " service file");
    }
    List<FleetServer> found = new ArrayList<>();
    for (String server : servers) {
      found.add(server(base, resolver, server, "--server " + quotedUnlessSecret(server) + ": "));
    }
    for (String service : services) {
      if (service.isBlank()) {
        throw new UsageError("invalid --service \"\": empty");
      }
      found.add(
          server(
              base,
              resolver,
              "service='" + service.replace("\\", "\\\\").replace("'", "\\'") + "'",
              "--service " + SafeText.quoted(service) + ": "));
    }
    if (file != null) {
      found.addAll(fromFile(base, resolver));
    }
    if (found.isEmpty()) {
      throw new UsageError("--servers " + SafeText.quoted(file.toString()) + ": no servers in it");
    }
    return found;
  }

  private List<FleetServer> fromFile(ConnectionRequest base, SettingsResolver resolver) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new UsageError(
          "--servers "
              + SafeText.quoted(file.toString())
              + ": cannot read it: "
              + SafeText.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
    }
    List<FleetServer> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      // The line may hold a password: name where it is, never what it says.
      found.add(server(base, resolver, line, file + ":" + (i + 1) + ": "));
    }
    return found;
  }

  private static FleetServer server(
      ConnectionRequest base, SettingsResolver resolver, String conninfo, String where) {
    if (!SettingsResolver.isConninfo(conninfo)) {
      throw new UsageError(
          where
              + "not a postgresql:// URI or a key=value connection string (a service is"
              + " service=NAME)");
    }
    ConnectionRequest request = base.forServer(conninfo);
    try {
      ConnectionSettings settings = resolver.resolve(request);
      return new FleetServer(
          resolver.label(request),
          settings.endpoints().get(0).host(),
          settings.endpoints().get(0).port(),
          request);
    } catch (UsageError e) {
      throw new UsageError(where + e.getMessage());
    }
  }

  /**
   * A value that may hold a password is not shown: a {@code password} key or parameter, or user
   * information before an {@code @} (a URI's {@code user:secret@host}, with or without a scheme).
   */
  private static String quotedUnlessSecret(String server) {
    return server.contains("password") || server.contains("@")
        ? "(a connection string)"
        : SafeText.quoted(server);
  }
}
