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
  void pidOutputListsOnlyWhatWasSignalledAndWhenWaitedForReallyEnded() {
    assertThat(report(false)).isEqualTo("4242\n4252\n4253\n4256\n4257\n");
  }

  @Test
  void idOutputCarriesTheBackendStartThatDashReadsBack() {
    String id = report(true);

    assertThat(id.lines().toList().get(0)).isEqualTo("4242@2026-11-25T20:30:54.123456Z");
    assertThat(id.lines()).hasSize(5);
    assertThat(Target.parse(id.lines().toList().get(0)).backendStart()).isPresent();
  }
}
