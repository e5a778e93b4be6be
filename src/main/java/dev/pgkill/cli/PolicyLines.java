package dev.pgkill.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each rule and each key of a policy file is written, so that an error names the line a DBA
 * must fix. The TOML reader gives a location only for syntax errors; a bad value is found after
 * reading, so the lines are found again here, in the simple layout policy files use: a {@code
 * [rule.NAME]} header, then {@code key = value} lines.
 */
final class PolicyLines {
  private static final String NAME = "(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+))";
  private static final Pattern HEADER =
      Pattern.compile("^\\s*\\[\\s*([A-Za-z0-9_-]+)\\s*(?:\\.\\s*" + NAME + "\\s*)?]");
  private static final Pattern KEY = Pattern.compile("^\\s*" + NAME + "\\s*=");

  private final Map<String, Integer> tables = new HashMap<>();
  private final Map<String, Integer> keys = new HashMap<>();

  PolicyLines(String text) {
    String table = "";
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int line = i + 1;
      Matcher header = HEADER.matcher(lines[i]);
      if (header.find()) {
        String rule = name(header, 2);
        table = rule == null ? header.group(1) : header.group(1) + "." + rule;
        tables.putIfAbsent(table, line);
        continue;
      }
      Matcher key = KEY.matcher(lines[i]);
      if (key.find()) {
        keys.putIfAbsent(table + "\n" + name(key, 1), line);
      }
    }
  }

  /** The line of {@code [rule.NAME]}, or 1 when the rule is written in another way. */
  int rule(String name) {
    return tables.getOrDefault("rule." + name, 1);
  }

  /** The line of {@code key = } in the rule's table, or the rule's own line. */
  int key(String rule, String key) {
    return keys.getOrDefault("rule." + rule + "\n" + key, rule(rule));
  }

  /** The line of a key outside any rule, such as a misspelt {@code [rules.x]}. */
  int topLevel(String key) {
    Integer line = keys.get("\n" + key);
    if (line != null) {
      return line;
    }
    return tables.entrySet().stream()
        .filter(e -> e.getKey().equals(key) || e.getKey().startsWith(key + "."))
        .mapToInt(Map.Entry::getValue)
        .min()
        .orElse(1);
  }

  private static String name(Matcher matcher, int first) {
    for (int group = first; group < first + 3; group++) {
      if (matcher.group(group) != null) {
        return matcher.group(group);
      }
    }
    return null;
  }
}
