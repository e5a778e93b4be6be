package dev.pgkill.run;

import java.util.List;

/**
 * The rules of a policy file, in file order, each already checked: a file with one bad rule never
 * becomes a policy.
 *
 * @param source where the rules were read, as messages name it
 */
public record Policy(String source, List<Rule> rules) {
  public Policy {
    rules = List.copyOf(rules);
  }
}
