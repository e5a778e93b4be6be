package dev.pgkill.cli;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.connect.ConnectionRequest.PasswordPrompt;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** psql's connection options, with psql's letters. */
final class ConnectionOptions {
  @Option(
      names = {"-h", "--host"},
      paramLabel = "HOST",
      description = "Server host name or socket directory (default: $PGHOST, else a local server's socket, else localhost).")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description = "Server port (default: $PGPORT, else 5432).")
  String port;

  @Option(
      names = {"-U", "--username"},
      paramLabel = "USER",
      description = "Role to connect as (default: $PGUSER, else the operating-system user).")
  String user;

  @Option(
      names = {"-d", "--dbname"},
      paramLabel = "DBNAME",
      description = "Database name, postgresql:// URI or key=value connection string (default: $PGDATABASE, else postgres).")
  String dbname;

  @ArgGroup(exclusive = true)
  Prompt prompt;

  static final class Prompt {
    @Option(
        names = {"-w", "--no-password"},
        description = "Never prompt for a password: fail if the server asks for one.")
    boolean never;

    @Option(
        names = {"-W", "--password"},
        description = "Prompt for a password before connecting.")
    boolean always;
  }

  ConnectionRequest request() {
    PasswordPrompt passwordPrompt = PasswordPrompt.WHEN_NEEDED;
    if (prompt != null && prompt.never) {
      passwordPrompt = PasswordPrompt.NEVER;
    } else if (prompt != null && prompt.always) {
      passwordPrompt = PasswordPrompt.ALWAYS;
    }
    return new ConnectionRequest(host, port, user, dbname, passwordPrompt);
  }
}
