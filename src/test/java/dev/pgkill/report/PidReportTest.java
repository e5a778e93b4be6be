package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.select.Target;
import dev.pgkill.signal.Action;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PidReportTest {

  private static String report(boolean identity) {
    StringWriter out = new StringWriter();
    new PidReport(new PrintWriter(out), new PrintWriter(new StringWriter()), identity)
        .outcomes(Action.CANCEL, TextReportTest.everyResult());
    return out.toString();
  }

  @Test
  void pidOutputListsOnlyWhatWasSignalled() {
    assertThat(report(false)).isEqualTo("4242\n");
  }

  @Test
  void idOutputCarriesTheBackendStartThatDashReadsBack() {
    String id = report(true);

    assertThat(id).isEqualTo("4242@2026-11-25T20:30:54.123456Z\n");
    assertThat(Target.parse(id.strip()).backendStart()).isPresent();
  }
}
