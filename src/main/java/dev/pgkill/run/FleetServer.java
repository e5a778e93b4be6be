package dev.pgkill.run;

import dev.pgkill.connect.ConnectionRequest;
import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.report.ServerTag;
import java.util.Optional;

/**
 * One server of a run over several, as the user gave it.
 *
 * @param label the service name, else {@code host:port}: how the report names it
 * @param host the host (or socket directory) pgkill will try first, for a server never reached
 * @param port the port pgkill will try first
 * @param request how to reach it, resolved as a single server's settings are
 */
public record FleetServer(String label, String host, int port, ConnectionRequest request) {
  /**
   * How the report names this server: as it said when reached ({@code identity}), else as the user
   * gave it.
   */
  public ServerTag tag(Optional<ServerIdentity> identity) {
    return identity
        .map(
            id ->
                new ServerTag(
                    label,
                    id.host().orElse(id.address()),
                    id.port(),
                    id.systemIdentifier(),
                    Optional.of(id.standby())))
        .orElse(new ServerTag(label, host, port, Optional.empty(), Optional.empty()));
  }
}
