package dev.pgkill.report;

import dev.pgkill.signal.Outcome;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Without {@code --metrics-port}: the loop's calls cost nothing and nothing listens. */
final class NoWatchMetrics implements WatchMetrics {

  @Override
  public void ruleApplied(String rule, List<Outcome> outcomes) {}

  @Override
  public void passCompleted(Instant at) {}

  @Override
  public void passFailed(String reason) {}

  @Override
  public void serverError() {}

  @Override
  public void connected(boolean connected) {}

  @Override
  public Optional<InetSocketAddress> served() {
    return Optional.empty();
  }

  @Override
  public void close() {}
}
