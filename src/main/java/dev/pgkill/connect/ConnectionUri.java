package dev.pgkill.connect;

import dev.pgkill.text.UsageError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a libpq connection URI into keywords: {@code
 * postgresql://[user[:password]@][host][:port][,...][/dbname][?keyword=value&...]}, with {@code
 * postgres://} as well, IPv6 addresses in brackets, percent-encoding everywhere, and the query
 * parameters being any libpq keyword ({@code ssl=true} meaning {@code sslmode=require}). Several
 * hosts become libpq's comma-separated {@code host} and {@code port} lists.
 */
final class ConnectionUri {
  private static final List<String> PREFIXES = List.of("postgresql://", "postgres://");

  private final String text;

  private ConnectionUri(String text) {
    this.text = text;
  }

  static boolean looksLikeOne(String dbname) {
    return PREFIXES.stream().anyMatch(dbname::startsWith);
  }

  static Map<String, String> parse(String text) {
    return new ConnectionUri(text).parse();
  }

  private Map<String, String> parse() {
    Map<String, String> values = new LinkedHashMap<>();
    String prefix = PREFIXES.stream().filter(text::startsWith).findFirst().orElseThrow();
    int start = prefix.length();
    int end = indexOfAny(text, "/?", start);
    if (text.indexOf('@', end) >= 0) {
      // Almost always a / in a password that was not percent-encoded: the rest of the password
      // would become the database name, and be shown in errors and logs. Never echo the URI.
      throw new UsageError(
          "invalid connection URI: an @ after the host part; percent-encode / @ : in the user"
              + " name or password (%2F %40 %3A), and @ in a database name");
    }
    // User information ends at the last @ before the path, so an unencoded @ in a password still
    // parses; libpq looks no further than the first / either.
    int at = text.lastIndexOf('@', end - 1);
    if (at >= start) {
      String userInfo = text.substring(start, at);
      int colon = userInfo.indexOf(':');
      putIfNotEmpty(values, "user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        putIfNotEmpty(values, "password", decode(userInfo.substring(colon + 1)));
      }
      start = at + 1;
    }
    hosts(text.substring(start, end), values);
    if (end < text.length() && text.charAt(end) == '/') {
      int query = text.indexOf('?', end);
      int dbEnd = query < 0 ? text.length() : query;
      putIfNotEmpty(values, "dbname", decode(text.substring(end + 1, dbEnd)));
      end = dbEnd;
    }
    if (end < text.length()) {
      parameters(text.substring(end + 1), values);
    }
    return values;
  }

  /** {@code host[:port]} entries separated by commas; an entry may be empty (the default). */
  private void hosts(String netlocs, Map<String, String> values) {
    if (netlocs.isEmpty()) {
      return;
    }
    List<String> hosts = new ArrayList<>();
    List<String> ports = new ArrayList<>();
    for (String netloc : netlocs.split(",", -1)) {
      String host;
      String rest;
      if (netloc.startsWith("[")) {
        int close = netloc.indexOf(']');
        if (close < 0) {
          throw error("missing \"]\" after the IPv6 address");
        }
        host = netloc.substring(1, close);
        if (host.isEmpty()) {
          throw error("empty IPv6 address in []");
        }
        rest = netloc.substring(close + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ':') {
          throw error(
              "unexpected \"" + rest.charAt(0) + "\" after the IPv6 address (expected \":\")");
        }
      } else {
        int colon = netloc.indexOf(':');
        host = decode(colon < 0 ? netloc : netloc.substring(0, colon));
        rest = colon < 0 ? "" : netloc.substring(colon);
      }
      hosts.add(host);
      ports.add(rest.isEmpty() ? "" : decode(rest.substring(1)));
    }
    if (hosts.stream().anyMatch(h -> !h.isEmpty())) {
      values.put("host", String.join(",", hosts));
    }
    if (ports.stream().anyMatch(p -> !p.isEmpty())) {
      values.put("port", String.join(",", ports));
    }
  }

  private void parameters(String query, Map<String, String> values) {
    for (String parameter : query.split("&")) {
      if (parameter.isEmpty()) {
        continue;
      }
      int equals = parameter.indexOf('=');
      if (equals < 0) {
        throw error("missing \"=\" in the query parameter \"" + parameter + "\"");
      }
      if (parameter.indexOf('=', equals + 1) >= 0) {
        throw error("extra \"=\" in the query parameter \"" + parameter + "\"");
      }
      String keyword = decode(parameter.substring(0, equals));
      String value = decode(parameter.substring(equals + 1));
      if (keyword.equals("ssl") && value.equals("true")) {
        keyword = "sslmode";
        value = "require";
      }
      if (!Keywords.known(keyword)) {
        throw error("invalid query parameter \"" + keyword + "\"");
      }
      values.put(keyword, value);
    }
  }

  /** Percent-decoding into UTF-8, refusing what libpq refuses: a broken escape and %00. */
  private String decode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      if (i + 2 >= encoded.length()
          || Character.digit(encoded.charAt(i + 1), 16) < 0
          || Character.digit(encoded.charAt(i + 2), 16) < 0) {
        throw error("invalid percent-encoding in \"" + redactIfPassword(encoded) + "\"");
      }
      int b = Integer.parseInt(encoded.substring(i + 1, i + 3), 16);
      if (b == 0) {
        throw error("%00 is not allowed");
      }
      bytes.write(b);
      i += 2;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private String redactIfPassword(String part) {
    return redact(text).contains(part) ? part : "***";
  }

  private static void putIfNotEmpty(Map<String, String> values, String keyword, String value) {
    if (!value.isEmpty()) {
      values.put(keyword, value);
    }
  }

  private static int indexOfAny(String s, String chars, int from) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  private UsageError error(String reason) {
    return new UsageError("invalid connection URI \"" + redact(text) + "\": " + reason);
  }

  /** The URI with the password of its user information and any password parameter hidden. */
  static String redact(String uri) {
    return uri.replaceFirst("^(\\w+://[^:/?@]*:)[^/?]*@", "$1***@")
        .replaceAll("([?&]password=)[^&]*", "$1***");
  }
}
