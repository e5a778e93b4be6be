package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.connect.ServerIdentity;
import dev.pgkill.connect.ServerVersion;
import dev.pgkill.select.Session;
import dev.pgkill.signal.Action;
import dev.pgkill.signal.ServerMessage;
import dev.pgkill.signal.Waited;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-30T07:01:02.123456Z"), ZoneOffset.UTC);
  private static final OffsetDateTime START = OffsetDateTime.parse("2026-11-30T06:00:00.5+01:00");

  private final List<String> written = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  private final AuditSink sink =
      new AuditSink() {
        @Override
        public void append(String line) {
          written.add(line);
        }

        @Override
        public String name() {
          return "the test's list";
        }
      };

  private static final ServerIdentity SERVER =
      new ServerIdentity(
          "10.0.0.5:5432",
          new ServerVersion(180001),
          false,
          Optional.of("10.0.0.5"),
          5432,
          Optional.of("7713852490796072897"));

  private static final Session SESSION =
      Session.builder(4242)
          .backendStart(START)
          .user("app")
          .database("shop")
          .application("report")
          .client("10.1.2.3")
          .backendType("client backend")
          .state("idle in transaction")
          .times(START.plusMinutes(1), START.plusMinutes(1), START.plusMinutes(2))
          .query("update orders set paid = true")
          .build();

  @Test
  void aDecisionIsOneLineWithEveryFieldThatApplies() {
    AuditTrail trail = new AuditTrail(List.of(sink), CLOCK, "postgres", "db1", failures::add);

    trail.write(
        new AuditTrail.Where(SERVER, Optional.of("forgotten"), Optional.of("blocks vacuum")),
        new AuditEvent(
            4242,
            Optional.of(SESSION),
            Action.TERMINATE,
            "signalled",
            Optional.of(true),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false));

    assertThat(written)
        .containsExactly(
            "{\"time\":\"2026-11-30T07:01:02.123456Z\",\"os_user\":\"postgres\",\"os_host\":\"db1\","
                + "\"server\":{\"host\":\"10.0.0.5\",\"port\":5432,"
                + "\"system_identifier\":\"7713852490796072897\"},"
                + "\"rule\":\"forgotten\",\"reason\":\"blocks vacuum\",\"pid\":4242,"
                + "\"session\":{\"pid\":4242,\"backend_start\":\"2026-11-30T05:00:00.500000Z\","
                + "\"user\":\"app\",\"database\":\"shop\",\"application\":\"report\","
                + "\"client\":\"10.1.2.3\",\"backend_type\":\"client backend\","
                + "\"state\":\"idle in transaction\","
                + "\"query_start\":\"2026-11-30T05:01:00.500000Z\","
                + "\"xact_start\":\"2026-11-30T05:01:00.500000Z\","
                + "\"query\":\"update orders set paid = true\"},"
                + "\"action\":\"terminate\",\"decision\":\"signalled\",\"signalled\":true}");
    assertThat(failures).isEmpty();
  }

  @Test
  void aDenialCarriesTheServersWordsAndAWaitItsVerdict() {
    ServerIdentity socket =
        new ServerIdentity(
            "/var/run/postgresql/.s.PGSQL.5433",
            new ServerVersion(100023),
            true,
            Optional.empty(),
            5433,
            Optional.empty());
    AuditTrail trail = new AuditTrail(List.of(sink), CLOCK, "dba", "db1", failures::add);
    AuditTrail.Where where = new AuditTrail.Where(socket, Optional.empty(), Optional.empty());

    trail.write(
        where,
        new AuditEvent(
            4242,
            Optional.empty(),
            Action.CANCEL,
            "denied",
            Optional.empty(),
            Optional.of(
                new ServerMessage(
                    "ERROR", "42501", "permission denied to cancel query", "Only roles with...")),
            Optional.empty(),
            Optional.empty(),
            false));
    trail.write(
        where,
        new AuditEvent(
            4242,
            Optional.empty(),
            Action.TERMINATE,
            "waited",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(new Waited(Waited.Ending.TERMINATED, Duration.ofMillis(12))),
            true));

    assertThat(written.get(0))
        .endsWith(
            "\"server\":{\"socket\":\"/var/run/postgresql/.s.PGSQL.5433\",\"port\":5433},"
                + "\"pid\":4242,\"action\":\"cancel\",\"decision\":\"denied\","
                + "\"sqlstate\":\"42501\",\"message\":\"permission denied to cancel query\","
                + "\"detail\":\"Only roles with...\"}");
    assertThat(written.get(1))
        .endsWith(
            "\"pid\":4242,\"action\":\"terminate\",\"escalation\":true,\"decision\":\"waited\","
                + "\"wait\":\"terminated\",\"waited_ms\":12}");
  }

  @Test
  void aLineASinkCannotTakeIsReportedAndRemembered() {
    AuditSink full =
        new AuditSink() {
          @Override
          public void append(String line) throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public String name() {
            return "the audit log /var/log/pgkill/audit.log";
          }
        };
    AuditTrail trail = new AuditTrail(List.of(full, sink), CLOCK, "dba", "db1", failures::add);

    assertThat(trail.failed()).isFalse();
    trail.write(
        new AuditTrail.Where(SERVER, Optional.empty(), Optional.empty()),
        AuditEvent.withheld(SESSION, Action.CANCEL, "over_max"));

    assertThat(trail.failed()).isTrue();
    assertThat(failures)
        .containsExactly(
            "could not write to the audit log /var/log/pgkill/audit.log: No space left on device;"
                + " an audit line is missing");
    assertThat(written).hasSize(1);
  }
}
