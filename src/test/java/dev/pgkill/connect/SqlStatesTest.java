package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlStatesTest {

  @ParameterizedTest
  @ValueSource(strings = {"08006", "08003", "08000", "57P01", "57P02", "57P03"})
  void aBrokenSocketOrAFatalThatEndsTheSessionLosesTheConnection(String state) {
    assertThat(SqlStates.connectionLost(new SQLException("lost", state))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"57014", "42501", "53300", "XX000", "22P02"})
  void anErrorOfOneStatementLeavesTheConnection(String state) {
    assertThat(SqlStates.connectionLost(new SQLException("failed", state))).isFalse();
  }

  @Test
  void noSqlStateIsNoLostConnection() {
    assertThat(SqlStates.connectionLost(new SQLException("no state"))).isFalse();
  }
}
