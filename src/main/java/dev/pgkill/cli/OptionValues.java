package dev.pgkill.cli;

import dev.pgkill.select.ClientAddress;
import dev.pgkill.select.Durations;
import dev.pgkill.select.QueryRegex;
import dev.pgkill.select.WaitEvent;
import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The selection options' values, each checked on its own before pgkill connects, as the server
 * would refuse them only after: one clear line naming the option and the value.
 */
final class OptionValues {
  private OptionValues() {}

  /** A --query pattern: not empty, no NUL byte, and a regular expression PostgreSQL accepts. */
  static String regex(String query) {
    if (query.isEmpty()) {
      throw new UsageError("invalid --query \"\": empty pattern would match every session");
    }
    text("--query", query);
    QueryRegex.check(query);
    return query;
  }

  /**
   * A --not-query pattern, checked as --query's; an empty one would leave out every session, which
   * is surely not what was meant.
   */
  static String notRegex(String pattern) {
    if (pattern.isEmpty()) {
      throw new UsageError("invalid --not-query \"\": empty pattern would leave out every session");
    }
    text("--not-query", pattern);
    QueryRegex.check("--not-query", pattern);
    return pattern;
  }

  /** --wait-event values: each TYPE or TYPE:NAME, the type one the server documents. */
  static List<WaitEvent> waitEvents(List<String> values) {
    return values.stream().map(WaitEvent::parse).toList();
  }

  /** --query-id values: each a query_id, a signed 64-bit number as pg_stat_activity shows it. */
  static List<Long> queryIds(List<String> values) {
    return values.stream()
        .map(
            value -> {
              if (!value.matches("-?\\d{1,19}")) {
                throw invalidQueryId(value);
              }
              try {
                return Long.parseLong(value);
              } catch (NumberFormatException e) {
                throw invalidQueryId(value);
              }
            })
        .toList();
  }

  private static UsageError invalidQueryId(String value) {
    return new UsageError(
        "invalid --query-id "
            + SafeText.quoted(value)
            + ": expected a query_id as pg_stat_activity shows it, a whole number from "
            + Long.MIN_VALUE
            + " to "
            + Long.MAX_VALUE);
  }

  /** --client values: each an address, a network or {@code local}. */
  static List<String> addresses(List<String> clients) {
    clients.forEach(ClientAddress::check);
    return clients;
  }

  /** Names and globs: none empty, none with a NUL byte. */
  static List<String> nonEmpty(String option, List<String> values) {
    if (values.stream().anyMatch(String::isEmpty)) {
      throw new UsageError("invalid " + option + " \"\": empty");
    }
    values.forEach(value -> text(option, value));
    return values;
  }

  /** No PostgreSQL text can hold a NUL byte: the server would refuse it after connecting. */
  private static void text(String option, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new UsageError(
          "invalid " + option + " " + SafeText.quoted(value) + ": contains a NUL byte");
    }
  }

  /**
   * A count of transactions: a whole number from 1 to 2^31, as far as age() can go; 0 would choose
   * every session that holds a snapshot or a transaction ID, which is nearly every busy one.
   */
  static long transactions(String text) {
    if (!text.matches("\\d{1,10}")
        || Long.parseLong(text) > Integer.MAX_VALUE
        || Long.parseLong(text) == 0) {
      throw new UsageError(
          "invalid --xmin-older-than "
              + SafeText.quoted(text)
              + ": expected a number of transactions from 1 to "
              + Integer.MAX_VALUE);
    }
    return Long.parseLong(text);
  }

  /**
   * A number of sessions to keep: from 1, as 0 would choose every session of every group, to
   * 2^31-1.
   */
  static int sessions(String option, String text) {
    if (!text.matches("\\d{1,10}")
        || Long.parseLong(text) > Integer.MAX_VALUE
        || Long.parseLong(text) == 0) {
      throw new UsageError(
          "invalid "
              + option
              + " "
              + SafeText.quoted(text)
              + ": expected a number of sessions from 1 to "
              + Integer.MAX_VALUE
              + " (0 would choose every session of every group)");
    }
    return Integer.parseInt(text);
  }

  /** A --...-longer-than age: above zero, since zero would choose every session it applies to. */
  static Optional<Duration> duration(String option, String text) {
    Optional<Duration> duration = Optional.ofNullable(text).map(t -> Durations.parse(option, t));
    if (duration.filter(Duration::isZero).isPresent()) {
      throw new UsageError(
          "invalid "
              + option
              + " "
              + SafeText.quoted(text)
              + ": a zero duration would choose every session; give one longer than zero");
    }
    return duration;
  }
}
