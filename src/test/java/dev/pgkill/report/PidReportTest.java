package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PidReportTest {

  private static String report(boolean identity) {
    StringWriter out = new StringWriter();
    new PidReport(new PrintWriter(out), new PrintWriter(new StringWriter()), identity)
        .outcomes(Action.CANCEL, TextReportTest.everyResult());
    return out.toString();
  }

  @Test
  void pidOutputListsOnlyWhatWasSignalledAndWhenWaitedForReallyEnded() {
    assertThat(report(false)).isEqualTo("4242\n4252\n4253\n4256\n4257\n");
  }

  @Test
  void idOutputWarnsOnStandardErrorWhenItCanOnlyPrintABarePid() {
    Session hidden =
        Session.builder(4249)
            .user("dave")
            .database("shop")
            .application("app")
            .query("<insufficient privilege>")
            .build();
    Session visible = TextReportTest.everyResult().get(0).session().orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    new PidReport(new PrintWriter(out), new PrintWriter(err), true)
        .sessions(List.of(visible, hidden));

    assertThat(out.toString()).isEqualTo("4242@2026-11-25T20:30:54.123456Z\n4249\n");
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("pgkill: warning: 1 PID is printed without @BACKEND_START")
        .contains("pg_read_all_stats")
        .endsWith("it cannot be replayed safely");
  }

  @Test
  void pidOutputNeverWarnsAboutABackendStartItDoesNotPrint() {
    Session hidden =
        Session.builder(4249)
            .user("dave")
            .database("shop")
            .application("app")
            .query("<insufficient privilege>")
            .build();
    StringWriter err = new StringWriter();
    new PidReport(new PrintWriter(new StringWriter()), new PrintWriter(err), false)
        .sessions(List.of(hidden));

    assertThat(err.toString()).isEmpty();
  }

  @Test
  void idOutputCarriesTheBackendStartThatDashReadsBack() {
    String id = report(true);

    assertThat(id.lines().toList().get(0)).isEqualTo("4242@2026-11-25T20:30:54.123456Z");
    assertThat(id.lines()).hasSize(5);
    assertThat(Target.parse(id.lines().toList().get(0)).backendStart()).isPresent();
  }
}
