package dev.pgkill.select;

import java.util.Locale;

/**
 * {@code --keep-newest N --per GROUP}: in each group of the sessions the other filters choose,
 * every session but the newest {@code keepNewest} by backend_start.
 */
public record ConnectionCap(int keepNewest, Per per) {
  /** What sessions are grouped by. */
  public enum Per {
    USER("a.usename"),
    APPLICATION("a.application_name"),
    CLIENT("case when a.client_port = -1 then 'local' else host(a.client_addr) end"),
    DATABASE("a.datname");

    /** The group's key over {@code pg_stat_activity a}: fixed text, never user input. */
    private final String key;

    Per(String key) {
      this.key = key;
    }

    String key() {
      return key;
    }

    /** As the option takes it: {@code application}. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ConnectionCap {
    if (keepNewest < 1) {
      throw new IllegalArgumentException("keepNewest must be at least 1: " + keepNewest);
    }
  }

  /** {@code --keep-newest 2 --per application}, as typed. */
  public String option() {
    return "--keep-newest " + keepNewest + " --per " + per.word();
  }
}
