package dev.pgkill.select;

import dev.pgkill.text.Timestamps;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One backend of the server, as opposed to one PID: PostgreSQL reuses PIDs, so a backend is its PID
 * and the {@code backend_start} it had. Two ids are equal when they name the same backend, whatever
 * offset each time was read in; this is the one place pgkill decides that.
 *
 * @param backendStart null when hidden from pgkill's role (without {@code pg_read_all_stats}); two
 *     such ids are equal by PID alone, so whoever compares them must check what stays visible
 */
public record BackendId(int pid, OffsetDateTime backendStart) {

  public BackendId {
    // The same instant in any offset is the same backend: keep one offset so equals can tell.
    backendStart = backendStart == null ? null : backendStart.withOffsetSameInstant(ZoneOffset.UTC);
  }

  /** Whether backend_start is visible, so that a reused PID can be told apart. */
  public boolean verifiable() {
    return backendStart != null;
  }

  /**
   * The {@code PID@BACKEND_START} token {@code --output id} prints and {@link Target#parse} reads.
   */
  public String token() {
    return pid + "@" + Timestamps.utc(backendStart);
  }
}
