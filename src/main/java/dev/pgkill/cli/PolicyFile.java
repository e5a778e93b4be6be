package dev.pgkill.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A policy file's text as rules of keys and values, before any value is checked: TOML syntax, the
 * {@code [rule.NAME]} layout and the rule names. Every error names the file and the line.
 */
final class PolicyFile {
  /** Rule names end up in logs, the audit trail and metric labels: kept plain. */
  private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  /** One {@code [rule.NAME]} table: its keys in file order, each with its line. */
  record RuleText(String name, int line, List<Entry> entries) {
    RuleText {
      entries = List.copyOf(entries);
    }
  }

  /** One {@code key = value} of a rule. */
  record Entry(String key, JsonNode value, int line) {}

  private final String source;

  /** {@code source} is the file's name as messages give it. */
  PolicyFile(String source) {
    this.source = source;
  }

  List<RuleText> rules(String text) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (JacksonException e) {
      JsonLocation location = e.getLocation();
      int line = location == null ? 1 : Math.max(1, location.getLineNr());
      throw error(line, null, "not valid TOML: " + e.getOriginalMessage());
    }
    PolicyLines lines = new PolicyLines(text);
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("rule")) {
        throw error(
            lines.topLevel(key),
            null,
            "unknown table or key " + SafeText.quoted(key) + ": rules are written [rule.NAME]");
      }
    }
    JsonNode rules = root.path("rule");
    if (!rules.isObject() || rules.isEmpty()) {
      throw error(
          lines.topLevel("rule"), null, "no rules: write each as a [rule.NAME] table of options");
    }
    List<RuleText> read = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = rules.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> rule = it.next();
      read.add(rule(rule.getKey(), rule.getValue(), lines));
    }
    return read;
  }

  private RuleText rule(String name, JsonNode table, PolicyLines lines) {
    int line = lines.rule(name);
    if (!RULE_NAME.matcher(name).matches()) {
      throw error(
          line,
          null,
          "invalid rule name "
              + SafeText.quoted(name)
              + ": use letters, digits, - and _ (at most 63), starting with a letter or digit");
    }
    if (!table.isObject()) {
      throw error(line, name, "a rule is a table of options: write it as [rule." + name + "]");
    }
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      entries.add(new Entry(entry.getKey(), entry.getValue(), lines.key(name, entry.getKey())));
    }
    return new RuleText(name, line, entries);
  }

  /** The one-line error for a place in the file. */
  UsageError error(int line, String rule, String message) {
    return new UsageError(
        "policy "
            + SafeText.path(source)
            + ", line "
            + line
            + (rule == null ? "" : ", rule " + rule)
            + ": "
            + message);
  }
}
