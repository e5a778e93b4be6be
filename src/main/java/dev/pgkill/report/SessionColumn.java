package dev.pgkill.report;

import static dev.pgkill.report.Cells.NONE;
import static dev.pgkill.report.Cells.text;

import dev.pgkill.select.Session;
import dev.pgkill.text.Timestamps;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A column of the text table, as {@code --columns} names it: the names are those of the JSON
 * fields, so one word means the same in both. The query is always the last column, cut to fit.
 */
public enum SessionColumn {
  PID("PID", s -> Integer.toString(s.pid())),
  USER("USER", s -> text(s.user())),
  DATABASE("DATABASE", s -> text(s.database())),
  APPLICATION("APPLICATION", s -> text(s.application())),
  CLIENT("CLIENT", s -> text(s.client())),
  CLIENT_HOSTNAME("HOSTNAME", s -> text(s.clientHostname())),
  CLIENT_PORT("PORT", s -> number(s.clientPort())),
  BACKEND_TYPE("TYPE", s -> text(s.backendType())),
  BACKEND_START(
      "BACKEND START", s -> s.backendStart() == null ? NONE : Timestamps.utc(s.backendStart())),
  STATE("STATE", s -> text(s.state())),
  AGE("AGE", s -> Cells.age(s.age())),
  XMIN_AGE("XMIN AGE", Cells::xminAge),
  WAIT_EVENT_TYPE("WAIT TYPE", s -> text(s.waitEventType())),
  WAIT_EVENT("WAIT EVENT", s -> text(s.waitEvent())),
  BACKEND_XID("XID", s -> number(s.backendXid())),
  QUERY_ID("QUERY ID", s -> number(s.queryId())),
  LOCK_WAIT("LOCK WAIT", Cells::lockWait),
  NEWEST_IN_GROUP("NEWEST", Cells::newestInGroup),
  QUERY("QUERY", Session::query);

  private final String title;
  private final Function<Session, String> value;

  SessionColumn(String title, Function<Session, String> value) {
    this.title = title;
    this.value = value;
  }

  /** The word --columns takes for it, and the name of the same JSON field. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every word --columns takes, in table order. */
  public static List<String> words() {
    return Arrays.stream(values()).map(SessionColumn::word).toList();
  }

  String title() {
    return title;
  }

  String value(Session session) {
    return value.apply(session);
  }

  private static String number(Number number) {
    return number == null ? NONE : number.toString();
  }
}
