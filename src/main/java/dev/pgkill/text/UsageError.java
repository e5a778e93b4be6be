package dev.pgkill.text;

/**
 * A mistake in what the user typed: a bad PID, option value or combination. Reported as one line
 * naming the input, with exit status 2, before anything is signalled.
 */
public final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageError(String message) {
    super(SafeText.escaped(message), null, false, false);
  }
}
