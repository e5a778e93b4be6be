package dev.pgkill.select;

import dev.pgkill.text.Timestamps;
import java.time.OffsetDateTime;

/**
 * The sessions one {@code pgkill --list -o json} recorded, to rehearse a selection on: as the
 * server saw them at {@code capturedAt}, which every age is then measured from.
 *
 * @param capturedAt the recording server's {@code now()} when it read them
 * @param rows the sessions, a JSON array of the listing's session objects
 * @param sessions how many sessions {@code rows} holds
 */
public record Snapshot(OffsetDateTime capturedAt, String rows, int sessions) {
  /** The capture time as the statement binds it. */
  String capturedAtText() {
    return Timestamps.utc(capturedAt);
  }
}
