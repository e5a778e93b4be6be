package dev.pgkill.safety;

import dev.pgkill.select.Session;
import dev.pgkill.select.Target;

/** A target every safety rule let through: the only kind the signalling code accepts. */
public record Cleared(Target target, Session session) implements Screened {}
