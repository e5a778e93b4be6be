package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CellsTest {
  @Test
  void ageIsShortAndReadable() {
    assertThat(Cells.age(java.time.Duration.ofMillis(350))).isEqualTo("350ms");
    assertThat(Cells.age(java.time.Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(Cells.age(java.time.Duration.ofSeconds(307))).isEqualTo("5m07s");
    assertThat(Cells.age(java.time.Duration.ofSeconds(3720))).isEqualTo("1h02m");
    assertThat(Cells.age(java.time.Duration.ofHours(76))).isEqualTo("3d04h");
    assertThat(Cells.age(null)).isEqualTo("-");
  }

  @Test
  void queryIsCutToOneShortLine() {
    assertThat(Cells.cut("select\n  1", 40)).isEqualTo("select 1");
    assertThat(Cells.cut("x".repeat(100), 40)).hasSize(40).endsWith("...");
  }
}
