package dev.pgkill.select;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The values of pg_stat_activity.state, spelled for a command line. */
public enum State {
  ACTIVE("active", "active"),
  IDLE("idle", "idle"),
  IDLE_IN_TRANSACTION("idle-in-transaction", "idle in transaction"),
  IDLE_IN_TRANSACTION_ABORTED("idle-in-transaction-aborted", "idle in transaction (aborted)"),
  FASTPATH("fastpath", "fastpath function call"),
  DISABLED("disabled", "disabled");

  private final String option;
  private final String server;

  State(String option, String server) {
    this.option = option;
    this.server = server;
  }

  /** As the command line spells it. */
  public String option() {
    return option;
  }

  /** As the server shows it in pg_stat_activity. */
  public String server() {
    return server;
  }

  public static State parse(String text) {
    for (State state : values()) {
      if (state.option.equals(text) || state.server.equals(text)) {
        return state;
      }
    }
    throw new UsageError(
        "invalid --state "
            + SafeText.quoted(text)
            + ": expected one of "
            + Arrays.stream(values()).map(s -> s.option).collect(Collectors.joining(", ")));
  }
}
