package dev.pgkill.cli;

import static dev.pgkill.testing.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.Environment;
import dev.pgkill.run.WatchControl;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch runs for months: over a thousand passes, what it keeps in memory must not grow. The watch
 * runs in this JVM, so that its heap can be measured after a full collection, between pass 300 and
 * pass 1300.
 */
@ExtendWith(PostgresExtension.class)
class WatchMemoryIT {
  private final PostgresServer server;
  @TempDir Path dir;

  WatchMemoryIT(PostgresServer server) {
    this.server = server;
  }

  @Test
  void memoryStaysFlatOverAThousandPasses() throws Exception {
    Path policy = dir.resolve("policy.toml");
    Files.writeString(
        policy,
        "[rule.reports]\ncancel = true\nrunning-longer-than = \"1h\"\napplication = \""
            + unique("mem")
            + "\"\n\n[rule.forgotten]\nterminate = true\nstate = [\"idle-in-transaction\"]\n"
            + "idle-longer-than = \"1h\"\nreason = \"two rules, two passes each time\"\n");
    PassCounter err = new PassCounter();
    AtomicReference<WatchControl> control = new AtomicReference<>();
    Main main =
        new Main(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            new ByteArrayInputStream(new byte[0]),
            new Environment(Map.of(), "pgkill-os-user", Path.of("/nonexistent")),
            Terminal.NONE,
            control::set);
    CompletableFuture<Integer> watch =
        CompletableFuture.supplyAsync(
            () ->
                main.run(
                    server.args(
                        "--policy",
                        policy.toString(),
                        "--watch",
                        "1ms",
                        "--audit-log",
                        dir.resolve("audit.log").toString(),
                        "-v")));
    try {
      awaitPass(err, watch, 300);
      long early = heapAfterCollection();
      awaitPass(err, watch, 1300);
      long late = heapAfterCollection();

      assertThat(late - early)
          .as("heap growth over 1000 passes, from %d bytes", early)
          .isLessThan(2L * 1024 * 1024);
    } finally {
      if (control.get() != null) {
        control.get().stop();
      }
    }
    assertThat(watch.get(60, TimeUnit.SECONDS)).isZero();
  }

  private static void awaitPass(PassCounter err, CompletableFuture<Integer> watch, long pass) {
    PostgresServer.await(
        "pass " + pass,
        Duration.ofSeconds(180),
        () -> {
          if (watch.isDone()) {
            throw new AssertionError("the watch ended: " + err.last());
          }
          return err.passes() >= pass;
        });
  }

  /** The heap still in use once the collector has taken all it can, the least of three tries. */
  private static long heapAfterCollection() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /** Standard error that counts the -v pass lines and keeps only the last line, not them all. */
  private static final class PassCounter extends Writer {
    private final AtomicLong passes = new AtomicLong();
    private final StringBuilder line = new StringBuilder();
    private volatile String last = "";

    @Override
    public synchronized void write(char[] text, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (text[i] == '\n') {
          last = line.toString();
          if (last.startsWith("pgkill: pass ")) {
            passes.incrementAndGet();
          }
          line.setLength(0);
        } else {
          line.append(text[i]);
        }
      }
    }

    long passes() {
      return passes.get();
    }

    String last() {
      return last;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
