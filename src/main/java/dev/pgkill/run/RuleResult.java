package dev.pgkill.run;

/** What one rule's pass found and did. */
public record RuleResult(Rule rule, PassResult result) {}
