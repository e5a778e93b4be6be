package dev.pgkill.run;

import dev.pgkill.connect.ConnectionRequest;

/**
 * One server of a run over several, as the user gave it.
 *
 * @param label the service name, else {@code host:port}: how the report names it
 * @param host the host (or socket directory) pgkill will try first, for a server never reached
 * @param port the port pgkill will try first
 * @param request how to reach it, resolved as a single server's settings are
 */
public record FleetServer(String label, String host, int port, ConnectionRequest request) {}
