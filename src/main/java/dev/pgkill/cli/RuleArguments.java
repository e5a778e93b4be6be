package dev.pgkill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgkill.cli.PolicyFile.Entry;
import dev.pgkill.cli.PolicyFile.RuleText;
import dev.pgkill.text.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A rule's keys as the command line they stand for, so that the command line's own code checks
 * them: {@code state = ["idle"]} is {@code --state=idle}, {@code terminate = true} is {@code
 * --terminate}. A rule may set what one pass does (the action, --wait, --escalate, every selection
 * option, --max), never how pgkill connects or prints, which the command line sets for every rule.
 */
final class RuleArguments {
  /** The key that is no option: the DBA's reason for the rule, recorded in the audit trail. */
  static final String REASON = "reason";

  /** Options of the rule's sections that a rule may still not set. */
  private static final Set<String> NOT_IN_A_RULE =
      Set.of("--list", "--count", "--dry-run", "--yes", "--unverified");

  private final CommandSpec spec;
  private final PolicyFile file;

  RuleArguments(CommandSpec spec, PolicyFile file) {
    this.spec = spec;
    this.file = file;
  }

  /** The arguments the rule stands for, and its reason. */
  record Arguments(List<String> args, Optional<String> reason) {}

  Arguments of(RuleText rule) {
    List<String> args = new ArrayList<>();
    Optional<String> reason = Optional.empty();
    for (Entry entry : rule.entries()) {
      if (entry.key().equals(REASON)) {
        if (!entry.value().isTextual() || entry.value().asText().isBlank()) {
          throw file.error(entry.line(), rule.name(), "reason must be a non-empty string");
        }
        reason = Optional.of(entry.value().asText());
        continue;
      }
      OptionSpec option = option(rule, entry);
      args.addAll(arguments(rule, entry, option));
    }
    return new Arguments(args, reason);
  }

  /** The option a key names, if a rule may set it. */
  private OptionSpec option(RuleText rule, Entry entry) {
    String name = "--" + entry.key();
    OptionSpec option = entry.key().startsWith("-") ? null : spec.findOption(name);
    if (option == null || !option.longestName().equals(name) || !allowed(option)) {
      boolean commandLineOnly = option != null && option.longestName().equals(name);
      throw file.error(
          entry.line(),
          rule.name(),
          "unknown key "
              + SafeText.quoted(entry.key())
              + (commandLineOnly
                  ? ": " + name + " is given on the command line, for every rule"
                  : closest(entry.key()).map(k -> " (did you mean " + k + "?)").orElse(""))
              + "; a rule's keys are the long names of the Action and Selection options,"
              + " max and reason");
    }
    return option;
  }

  private List<String> arguments(RuleText rule, Entry entry, OptionSpec option) {
    String name = option.longestName();
    JsonNode value = entry.value();
    boolean flag = option.arity().max() == 0;
    boolean optionalValue = option.arity().min() == 0 && option.arity().max() > 0;
    if (value.isBoolean() && (flag || optionalValue)) {
      return value.booleanValue() ? List.of(name) : List.of();
    }
    if (flag) {
      throw file.error(entry.line(), rule.name(), entry.key() + " must be true or false");
    }
    if (value.isArray() && option.isMultiValue()) {
      List<String> args = new ArrayList<>();
      for (JsonNode element : value) {
        args.add(name + "=" + scalar(rule, entry, element));
      }
      if (args.isEmpty()) {
        throw file.error(entry.line(), rule.name(), entry.key() + " must not be an empty list");
      }
      return args;
    }
    return List.of(name + "=" + scalar(rule, entry, value));
  }

  private String scalar(RuleText rule, Entry entry, JsonNode value) {
    if (value.isTextual() || value.isIntegralNumber()) {
      return value.asText();
    }
    throw file.error(
        entry.line(),
        rule.name(),
        entry.key()
            + " must be "
            + (entry.value().isArray() ? "a string" : "a string, or a list of strings")
            + (entry.key().equals("max") ? " or a whole number" : "")
            + ", as on the command line");
  }

  private boolean allowed(OptionSpec option) {
    if (NOT_IN_A_RULE.contains(option.longestName())) {
      return false;
    }
    int order = option.order();
    return (order >= HelpSections.ACTION && order < HelpSections.CONNECTION)
        || option.longestName().equals("--max");
  }

  /** The key a typo most likely meant: at most two edits away. */
  private Optional<String> closest(String typed) {
    String best = null;
    int bestDistance = 3;
    for (String key : keys()) {
      int distance = distance(typed, key);
      if (distance < bestDistance) {
        best = key;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Every key a rule takes. */
  private Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (OptionSpec option : spec.options()) {
      if (allowed(option)) {
        keys.add(option.longestName().substring(2));
      }
    }
    keys.add(REASON);
    return keys;
  }

  /** Levenshtein's edit distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
