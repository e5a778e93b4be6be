package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.cli.AuditOptions.Syslog;
import dev.pgkill.text.UsageError;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditOptionsTest {
  private static AuditOptions syslog(String facility, String server) {
    AuditOptions options = new AuditOptions();
    options.syslog = true;
    options.facility = facility;
    options.server = server;
    return options;
  }

  @Test
  void syslogDefaultsToLocal0OnThisHostsPort514() {
    assertThat(syslog(null, null).syslog()).contains(new Syslog("localhost", 514, "local0"));
  }

  @Test
  void theServerIsAHostAnIpv6AddressOrEitherWithAPort() {
    assertThat(syslog("LOCAL3", "logs.example.com:5514").syslog())
        .contains(new Syslog("logs.example.com", 5514, "local3"));
    assertThat(syslog(null, "[::1]:5514").syslog()).contains(new Syslog("::1", 5514, "local0"));
    assertThat(syslog(null, "[::1]").syslog()).contains(new Syslog("::1", 514, "local0"));
    assertThat(syslog(null, "::1").syslog()).contains(new Syslog("::1", 514, "local0"));
  }

  @Test
  void aBadServerOrFacilityIsAUsageError() {
    assertThatThrownBy(() -> syslog(null, "logs:0").syslog())
        .isInstanceOf(UsageError.class)
        .hasMessage(
            "invalid --syslog-server \"logs:0\": the port must be a number from 1 to 65535");
    assertThatThrownBy(() -> syslog(null, ":514").syslog())
        .isInstanceOf(UsageError.class)
        .hasMessage("invalid --syslog-server \":514\": no host");
    assertThatThrownBy(() -> syslog("local8", null).syslog())
        .isInstanceOf(UsageError.class)
        .hasMessageStartingWith("invalid --syslog-facility \"local8\": expected kern, user,");
  }

  @Test
  void syslogSettingsWithoutSyslogAreAUsageError() {
    AuditOptions options = syslog("local1", null);
    options.syslog = false;

    assertThatThrownBy(options::syslog)
        .isInstanceOf(UsageError.class)
        .hasMessage("--syslog-facility goes with --syslog");
  }

  @Test
  void aReasonIsKeptAsTypedAndMayNotBeBlank() {
    AuditOptions options = new AuditOptions();
    assertThat(options.reason()).isEmpty();
    options.reason = "ticket 4711";
    assertThat(options.reason()).isEqualTo(Optional.of("ticket 4711"));
    options.reason = " ";
    assertThatThrownBy(options::reason).isInstanceOf(UsageError.class);
  }
}
