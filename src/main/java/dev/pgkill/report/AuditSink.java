package dev.pgkill.report;

import java.io.Closeable;
import java.io.IOException;

/** Where audit lines go: a file, syslog. Each line is handed over whole, without its newline. */
public interface AuditSink extends Closeable {
  void append(String line) throws IOException;

  /** Starts again where the sink is configured to go (a file logrotate moved away). */
  default void reopen() throws IOException {}

  /** Done with: nothing more is written. */
  @Override
  default void close() throws IOException {}

  /** The name a failure is reported under. */
  String name();
}
