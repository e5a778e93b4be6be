package dev.pgkill.cli;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.connect.ConnectionRequest.PasswordPrompt;
import picocli.CommandLine.Option;

/** psql's connection options, with psql's letters. */
final class ConnectionOptions {
  @Option(
      names = {"-h", "--host"},
      order = HelpSections.CONNECTION + 0,
      paramLabel = "HOST",
      description =
          "Server host name or socket directory (default: $PGHOST, else a local server's socket, else localhost).")
  String host;

  @Option(
      names = {"-p", "--port"},
      order = HelpSections.CONNECTION + 1,
      paramLabel = "PORT",
      description = "Server port (default: $PGPORT, else 5432).")
  String port;

  @Option(
      names = {"-U", "--username"},
      order = HelpSections.CONNECTION + 2,
      paramLabel = "USER",
      description = "Role to connect as (default: $PGUSER, else the operating-system user).")
  String user;

  @Option(
      names = {"-d", "--dbname"},
      order = HelpSections.CONNECTION + 3,
      paramLabel = "DBNAME",
      description =
          "Database name, postgresql:// URI or key=value connection string (default: $PGDATABASE, else postgres).")
  String dbname;

  @Option(
      names = {"-w", "--no-password"},
      order = HelpSections.CONNECTION + 4,
      description = "Never prompt for a password: fail if the server asks for one.")
  boolean never;

  @Option(
      names = {"-W", "--password"},
      order = HelpSections.CONNECTION + 5,
      description =
          "Prompt for a password before connecting, on the controlling terminal"
              + " (/dev/tty) with echo off, whatever standard input and output are.")
  boolean always;

  /** The settings given; -w with -W is refused in {@link Invocations}. */
  ConnectionRequest request() {
    PasswordPrompt passwordPrompt =
        never ? PasswordPrompt.NEVER : always ? PasswordPrompt.ALWAYS : PasswordPrompt.WHEN_NEEDED;
    return new ConnectionRequest(host, port, user, dbname, passwordPrompt);
  }
}
