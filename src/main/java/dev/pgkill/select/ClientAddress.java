package dev.pgkill.select;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;

/**
 * Checks a {@code --client} value before connecting, as the server's {@code inet} input reads it (a
 * port of PostgreSQL's inet_net_pton.c), so that a mistake is a usage error even when the server is
 * out of reach: {@code local}, or an IPv4 or IPv6 address with an optional {@code /bits} ({@code
 * 10.1/16} is one: octets left out are zero).
 */
public final class ClientAddress {
  private final String text;
  private int at;

  private ClientAddress(String text) {
    this.text = text;
  }

  public static void check(String client) {
    if (!client.equals("local") && !isInet(client)) {
      throw new UsageError(
          "invalid --client "
              + SafeText.quoted(client)
              + ": not an address or network such as"
              + " 10.1.2.3, 10.0.0.0/8, ::1 or local");
    }
  }

  /** Whether {@code text::inet} is an inet value rather than an error. */
  static boolean isInet(String text) {
    // As the server: an address with a colon is IPv6.
    return text.indexOf(':') >= 0 ? new ClientAddress(text).ipv6() : new ClientAddress(text).ipv4();
  }

  /** The character at {@code at}, then past it; NUL at the end, as C reads a string. */
  private char next() {
    char c = peek(at);
    at++;
    return c;
  }

  private char peek(int index) {
    return index < text.length() ? text.charAt(index) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** inet_net_pton_ipv4: up to four decimal octets, then an optional /bits. */
  private boolean ipv4() {
    int octets = 0;
    char ch;
    while (isDigit(ch = next())) {
      int value = 0;
      do {
        value = value * 10 + (ch - '0');
        if (value > 255) {
          return false;
        }
      } while ((ch = next()) != '\0' && isDigit(ch));
      if (octets++ == 4) {
        return false;
      }
      if (ch == '\0' || ch == '/') {
        break;
      }
      if (ch != '.') {
        return false;
      }
    }
    int bits = -1;
    if (ch == '/' && isDigit(peek(at)) && octets > 0) {
      ch = next();
      bits = 0;
      do {
        bits = Math.min(bits * 10 + (ch - '0'), 1000);
      } while ((ch = next()) != '\0' && isDigit(ch));
      if (ch != '\0' || bits > 32) {
        return false;
      }
    }
    if (ch != '\0' || octets == 0) {
      return false;
    }
    if (bits == -1) {
      return octets == 4;
    }
    return bits / 8 <= octets;
  }

  /** inet_cidr_pton_ipv6: hex groups, one {@code ::}, an optional IPv4 tail and /bits. */
  private boolean ipv6() {
    if (peek(0) == ':' && peek(1) != ':') {
      return false;
    }
    if (peek(0) == ':') {
      at = 1;
    }
    Ipv6Groups groups = new Ipv6Groups();
    int token = at;
    char ch;
    while ((ch = next()) != '\0') {
      if (Character.digit(ch, 16) >= 0 && ch < 0x80) {
        if (!groups.hexDigit()) {
          return false;
        }
      } else if (ch == ':') {
        token = at;
        if (!groups.colon(peek(at) == '\0')) {
          return false;
        }
      } else if (ch == '.' && groups.roomForIpv4() && ipv4Tail(token)) {
        groups.ipv4();
        break;
      } else if (ch == '/' && bits(at) >= 0) {
        break;
      } else {
        return false;
      }
    }
    return groups.complete();
  }

  /** getv4: decimal octets without leading zeros from {@code from}, maybe ending in /bits. */
  private boolean ipv4Tail(int from) {
    int octets = 0;
    int value = 0;
    int digits = 0;
    for (int i = from; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (isDigit(ch)) {
        if (digits++ != 0 && value == 0) {
          return false;
        }
        value = value * 10 + (ch - '0');
        if (value > 255) {
          return false;
        }
      } else if (ch == '.' || ch == '/') {
        if (octets > 3) {
          return false;
        }
        octets++;
        if (ch == '/') {
          return bits(i + 1) >= 0;
        }
        value = 0;
        digits = 0;
      } else {
        return false;
      }
    }
    return digits != 0 && octets <= 3;
  }

  /** getbits: a prefix length from 0 to 128 without leading zeros, to the end; -1 if none. */
  private int bits(int from) {
    int value = 0;
    int digits = 0;
    for (int i = from; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (!isDigit(ch) || (digits++ != 0 && value == 0)) {
        return -1;
      }
      value = value * 10 + (ch - '0');
      if (value > 128) {
        return -1;
      }
    }
    return digits == 0 ? -1 : value;
  }
}
