package dev.pgkill.select;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Binds the values the user typed to a statement's parameters, and shows them in the log. */
final class BindParameters {
  private BindParameters() {}

  /** Binds each value in order; returns the arrays made, for the caller to free. */
  static List<Array> bind(
      Connection connection, PreparedStatement statement, List<FilterSql.Param> params)
      throws SQLException {
    List<Array> arrays = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Object value = params.get(i).value();
      if (value instanceof String[] texts) {
        Array array = connection.createArrayOf("text", texts);
        arrays.add(array);
        statement.setArray(i + 1, array);
      } else if (value instanceof Integer[] pids) {
        Array array = connection.createArrayOf("int4", pids);
        arrays.add(array);
        statement.setArray(i + 1, array);
      } else if (value instanceof Long[] ids) {
        Array array = connection.createArrayOf("int8", ids);
        arrays.add(array);
        statement.setArray(i + 1, array);
      } else if (value instanceof Long count) {
        statement.setLong(i + 1, count);
      } else if (value instanceof Double seconds) {
        statement.setDouble(i + 1, seconds);
      } else {
        statement.setString(i + 1, (String) value);
      }
    }
    return arrays;
  }

  /** The values as the debug log shows them: a long array only by its length. */
  static String shown(List<FilterSql.Param> params) {
    List<String> shown = new ArrayList<>();
    for (FilterSql.Param param : params) {
      Object value = param.value();
      if (value instanceof Object[] array) {
        shown.add(array.length <= 20 ? List.of(array).toString() : array.length + " values");
      } else {
        shown.add(String.valueOf(value));
      }
    }
    return shown.toString();
  }

  static void free(Array array) {
    try {
      array.free();
    } catch (SQLException e) {
      // Only driver memory: nothing to tell the user.
    }
  }
}
