package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
  private static final Path ACCOUNT = Path.of("/home/from-passwd");

  @Test
  void homeIsHomeAsInLibpq() {
    assertThat(Environment.of(Map.of("HOME", "/srv/ops"), "ops", ACCOUNT).home())
        .isEqualTo(Path.of("/srv/ops"));
  }

  @Test
  void unsetOrEmptyHomeIsTheAccountsHome() {
    assertThat(Environment.of(Map.of(), "ops", ACCOUNT).home()).isEqualTo(ACCOUNT);
    assertThat(Environment.of(Map.of("HOME", ""), "ops", ACCOUNT).home()).isEqualTo(ACCOUNT);
  }
}
