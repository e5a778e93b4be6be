package dev.pgkill.cli;

import dev.pgkill.run.WatchControl;
import sun.misc.Signal;

/**
 * The process's SIGTERM, SIGINT and SIGHUP, handed to a watch. The JVM's own handling would run the
 * shutdown hooks and exit 143 mid-pass, and would end the process on SIGHUP; a service must finish
 * the rule it is applying, exit 0, and re-read its policy on SIGHUP. {@code sun.misc.Signal} is the
 * JDK's supported way (module jdk.unsupported) to replace those handlers.
 */
final class UnixSignals implements ServiceSignals {
  @Override
  public void deliverTo(WatchControl control) {
    Signal.handle(new Signal("TERM"), signal -> control.stop());
    Signal.handle(new Signal("INT"), signal -> control.stop());
    Signal.handle(new Signal("HUP"), signal -> control.reload());
  }
}
