package dev.pgkill.run;

import java.util.Optional;

/**
 * One named rule of a policy file: one pgkill command line's worth of meaning, checked by the same
 * code as a command line.
 *
 * @param name the rule's name in the file, as the audit trail and the metrics name it
 * @param reason why the rule exists, in the DBA's words, recorded with every decision it makes
 * @param invocation what the rule selects and does to it
 */
public record Rule(String name, Optional<String> reason, Invocation invocation) {}
