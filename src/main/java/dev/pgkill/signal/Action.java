package dev.pgkill.signal;

/** What pgkill does to a target, and the server function that does it. */
public enum Action {
  CANCEL("cancel", "pg_cancel_backend"),
  TERMINATE("terminate", "pg_terminate_backend");

  private final String verb;
  private final String function;

  Action(String verb, String function) {
    this.verb = verb;
    this.function = function;
  }

  /** The word a DBA reads in the report: {@code cancel} or {@code terminate}. */
  public String verb() {
    return verb;
  }

  /** The PostgreSQL function that sends the signal. */
  public String function() {
    return function;
  }
}
