package dev.pgkill.run;

import dev.pgkill.connect.ServerIdentity;
import java.time.Duration;
import java.util.List;

/** Several listeners heard as one, in order: the watch's log, then its metrics, say. */
final class AllWatchEvents implements WatchEvents {
  private final List<WatchEvents> listeners;

  AllWatchEvents(List<WatchEvents> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void connected(ServerIdentity server) {
    listeners.forEach(l -> l.connected(server));
  }

  @Override
  public void unreachable(String message, Duration retryIn) {
    listeners.forEach(l -> l.unreachable(message, retryIn));
  }

  @Override
  public void lost(String message, Duration retryIn) {
    listeners.forEach(l -> l.lost(message, retryIn));
  }

  @Override
  public void passed(long pass, PolicyResult result, Duration took) {
    listeners.forEach(l -> l.passed(pass, result, took));
  }

  @Override
  public void reloading() {
    listeners.forEach(WatchEvents::reloading);
  }

  @Override
  public void reloaded(Policy policy) {
    listeners.forEach(l -> l.reloaded(policy));
  }

  @Override
  public void reloadRefused(String message) {
    listeners.forEach(l -> l.reloadRefused(message));
  }

  @Override
  public void stopped(long passes) {
    listeners.forEach(l -> l.stopped(passes));
  }
}
