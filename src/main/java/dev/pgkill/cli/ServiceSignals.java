package dev.pgkill.cli;

import dev.pgkill.run.WatchControl;

/**
 * How a watch hears the process's signals: SIGTERM and SIGINT ask it to stop, SIGHUP to re-read its
 * policy. {@link Main} gives the real ones; in-process tests keep the control to tell it
 * themselves.
 */
@FunctionalInterface
interface ServiceSignals {
  /** From now on, the process's signals go to {@code control} instead of stopping the JVM. */
  void deliverTo(WatchControl control);

  ServiceSignals NONE = control -> {};
}
