package dev.pgkill.report;

import java.util.Optional;

/**
 * Which server of several a line of the report is about: the SERVER column of the text report, the
 * {@code server} object of every JSON line.
 *
 * @param label the service name, else {@code host:port} as the user's settings name it
 * @param host the server's IP address as it says, or the host (or socket) pgkill tried
 * @param port the server's port, or the one pgkill tried
 * @param systemIdentifier {@code pg_control_system()}'s, where pgkill's role may read it
 * @param inRecovery whether it is a standby; empty when it was never reached
 */
public record ServerTag(
    String label,
    String host,
    int port,
    Optional<String> systemIdentifier,
    Optional<Boolean> inRecovery) {}
