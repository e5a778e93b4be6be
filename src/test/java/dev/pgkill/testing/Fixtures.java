package dev.pgkill.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small helpers the integration tests of pgkill's whole path share. */
public final class Fixtures {
  private Fixtures() {}

  /** A name no other test uses, for an application name or a table: {@code prefix-<hex>}. */
  public static String unique(String prefix) {
    return prefix + "-" + Long.toHexString(System.nanoTime());
  }

  /**
   * One line of {@code -o json} as its fields in order, or a failed test if it is not one object.
   */
  @SuppressWarnings("unchecked")
  public static java.util.Map<String, Object> json(String line) {
    try (var parser = new com.fasterxml.jackson.core.JsonFactory().createParser(line)) {
      java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
      assertThat(parser.nextToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.START_OBJECT);
      while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        var token = parser.nextToken();
        fields.put(
            name,
            switch (token) {
              case VALUE_NULL -> null;
              case VALUE_TRUE -> true;
              case VALUE_FALSE -> false;
              // An int where one fits, as most numbers are; a long (a query_id) where none does.
              case VALUE_NUMBER_INT -> parser.getNumberValue();
              default -> parser.getText();
            });
      }
      assertThat(parser.nextToken()).isNull();
      return fields;
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  /** The PID of the backend serving this connection. */
  public static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
      row.next();
      return row.getInt(1);
    }
  }
}
