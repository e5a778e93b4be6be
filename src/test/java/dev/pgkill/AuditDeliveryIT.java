package dev.pgkill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.AuditLines;
import dev.pgkill.testing.PgkillProcess;
import dev.pgkill.testing.PgkillSession;
import dev.pgkill.testing.PostgresExtension;
import dev.pgkill.testing.PostgresServer;
import dev.pgkill.testing.Run;
import dev.pgkill.testing.Scratch;
import dev.pgkill.testing.Victim;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How audit lines reach their reader: a file that survives a killed pgkill and several pgkills
 * appending at once, and syslog over a real UDP socket.
 */
@ExtendWith(PostgresExtension.class)
class AuditDeliveryIT {
  private final PostgresServer server;
  private final Scratch scratch = new Scratch();
  private final Path audit;

  AuditDeliveryIT(PostgresServer server) {
    this.server = server;
    this.audit = scratch.directory().resolve("audit.log");
  }

  @AfterEach
  void clean() {
    scratch.close();
  }

  /**
   * A cancel never ends a transaction left idle, so pgkill waits its whole --wait: killed then
   * (SIGKILL, no shutdown hook runs), the signal it sent is in the file all the same.
   */
  @Test
  void aSignalIsInTheFileBeforeTheWaitSoAKilledPgkillLosesNothing() throws Exception {
    try (Victim idle = Victim.connect(server, PostgresServer.SUPERUSER)) {
      idle.run("begin").run("select 1");
      try (PgkillProcess pgkill =
          PgkillProcess.start(
              PgkillProcess.builder(
                  PgkillProcess.jar(
                      server.args(
                          "--audit-log",
                          audit.toString(),
                          "--cancel",
                          "--wait=120s",
                          Integer.toString(idle.pid())))),
              "")) {
        PgkillSession.awaitWaiting(server, PostgresServer.SUPERUSER);
        pgkill.close(); // SIGKILL
        PostgresServer.await(
            "the killed pgkill to be gone",
            Duration.ofSeconds(30),
            () -> ProcessHandle.of(pgkill.pid()).map(p -> !p.isAlive()).orElse(true));
      }

      List<Map<String, Object>> lines = AuditLines.of(audit);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0))
          .containsEntry("pid", idle.pid())
          .containsEntry("action", "cancel")
          .containsEntry("decision", "signalled")
          .containsEntry("signalled", true)
          .doesNotContainKey("wait");
      assertThat(idle.usable()).isTrue();
    }
  }

  @Test
  void twoPgkillsAppendingAtOnceNeverMixTheirLines() throws Exception {
    int perProcess = 300;
    // Long lines: an append split into several writes would show as a broken line.
    String reason = "x".repeat(4000);
    List<PgkillProcess> running = new ArrayList<>();
    try {
      for (int p = 0; p < 2; p++) {
        int first = 100_000_000 + p * perProcess;
        String pids =
            IntStream.range(first, first + perProcess)
                .mapToObj(Integer::toString)
                .collect(Collectors.joining("\n"));
        running.add(
            PgkillProcess.start(
                PgkillProcess.builder(
                    PgkillProcess.jar(
                        server.args(
                            "--audit-log",
                            audit.toString(),
                            "--reason",
                            reason + p,
                            "-q",
                            "--cancel",
                            "-"))),
                pids));
      }
      for (PgkillProcess pgkill : running) {
        PgkillProcess.Exited exited = pgkill.awaitExit(120, TimeUnit.SECONDS);
        assertThat(exited.status()).as(exited.err()).isEqualTo(1);
      }
    } finally {
      running.forEach(PgkillProcess::close);
    }

    List<Map<String, Object>> lines = AuditLines.of(audit);
    assertThat(lines).hasSize(2 * perProcess);
    assertThat(lines).allSatisfy(line -> assertThat(line).containsEntry("decision", "not_found"));
    assertThat(lines.stream().map(line -> line.get("pid")).distinct()).hasSize(2 * perProcess);
    assertThat(lines.stream().map(line -> (String) line.get("reason")))
        .allSatisfy(r -> assertThat(r).matches("x{4000}[01]"));
  }

  @Test
  void syslogGetsEachLineUnderItsFacilityAtSeverityInfo() throws Exception {
    try (DatagramSocket syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      syslog.setSoTimeout(30_000);
      Run run =
          Run.of(
              server.args(
                  "--syslog",
                  "--syslog-server",
                  "127.0.0.1:" + syslog.getLocalPort(),
                  "--syslog-facility",
                  "local3",
                  "--reason",
                  "syslog test",
                  "--cancel",
                  Integer.toString(victim.pid())));
      assertThat(run.status()).as(run.out() + run.err()).isZero();
      DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
      syslog.receive(packet);

      String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      // local3 is facility 19, info severity 6: 19 * 8 + 6.
      assertThat(datagram).startsWith("<158>").contains(" pgkill: {");
      Map<String, Object> line = AuditLines.line(datagram.substring(datagram.indexOf('{')));
      assertThat(line)
          .containsEntry("pid", victim.pid())
          .containsEntry("decision", "signalled")
          .containsEntry("reason", "syslog test");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void aFacilitySyslogDoesNotKnowIsAUsageError() throws Exception {
    try (Victim victim = Victim.sleeping(server, PostgresServer.SUPERUSER)) {
      Run run =
          Run.of(
              server.args(
                  "--syslog",
                  "--syslog-facility",
                  "local9",
                  "--audit-log",
                  audit.toString(),
                  "--cancel",
                  Integer.toString(victim.pid())));

      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err())
          .startsWith("pgkill: error: invalid --syslog-facility \"local9\": expected kern, user,")
          .hasLineCount(1);
      assertThat(Files.exists(audit)).isFalse();
      assertThat(victim.stillSleeping()).isTrue();
    }
  }
}
