package dev.pgkill.text;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as pgkill prints them everywhere: UTC ISO-8601, always with microseconds. */
public final class Timestamps {
  /** Also what {@code PID@BACKEND_START} tokens are read back with. */
  public static final DateTimeFormatter UTC_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX");

  private Timestamps() {}

  public static String utc(OffsetDateTime time) {
    return UTC_MICROS.format(time.withOffsetSameInstant(ZoneOffset.UTC));
  }
}
