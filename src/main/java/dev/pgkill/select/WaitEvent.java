package dev.pgkill.select;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code --wait-event} value: a wait_event_type, and optionally one wait_event of that type,
 * {@code Lock} or {@code Lock:relation}. The type must be one the server documents; both are taken
 * in any case, as a DBA types them, and matched so, since no two events differ only in case.
 *
 * @param type the type as the server spells it, {@code IO}, {@code LWLock}
 * @param name the event, as typed; empty for every event of the type
 */
public record WaitEvent(String type, Optional<String> name) {
  /**
   * The wait_event_type values PostgreSQL 10 to 18 show (InjectionPoint from 17), spelt as they
   * show them.
   */
  public static final List<String> TYPES =
      List.of(
          "Activity",
          "BufferPin",
          "Client",
          "Extension",
          "InjectionPoint",
          "IO",
          "IPC",
          "Lock",
          "LWLock",
          "Timeout");

  /** {@code TYPE} or {@code TYPE:NAME}, the type in any case; a usage error naming the value. */
  public static WaitEvent parse(String text) {
    if (text.indexOf(',') >= 0) {
      throw invalid(text, "give --wait-event once for each event");
    }
    if (text.indexOf('\0') >= 0) {
      throw invalid(text, "contains a NUL byte");
    }
    int colon = text.indexOf(':');
    String typed = colon < 0 ? text : text.substring(0, colon);
    String type =
        TYPES.stream()
            .filter(t -> t.equalsIgnoreCase(typed))
            .findFirst()
            .orElseThrow(
                () ->
                    invalid(
                        text,
                        (typed.isEmpty()
                                ? "no wait event type"
                                : "no wait event type " + SafeText.quoted(typed))
                            + "; expected TYPE or TYPE:NAME, TYPE one of "
                            + String.join(", ", TYPES)));
    if (colon < 0) {
      return new WaitEvent(type, Optional.empty());
    }
    String name = text.substring(colon + 1);
    if (name.isEmpty()) {
      throw invalid(
          text, "no event after the colon; give " + type + " for every " + type + " wait");
    }
    return new WaitEvent(type, Optional.of(name));
  }

  /** What a session's {@code lower(type)} or {@code lower(type:name)} is compared with. */
  String key() {
    return name.map(n -> type + ":" + n).orElse(type).toLowerCase(Locale.ROOT);
  }

  /** As the server would show it: {@code Lock:relation}. */
  @Override
  public String toString() {
    return name.map(n -> type + ":" + n).orElse(type);
  }

  private static UsageError invalid(String text, String why) {
    return new UsageError("invalid --wait-event " + SafeText.quoted(text) + ": " + why);
  }
}
