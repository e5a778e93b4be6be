package dev.pgkill.connect;

/**
 * Whether a {@code hostaddr} is what libpq takes there: a numeric address, which it parses with
 * {@code getaddrinfo(AI_NUMERICHOST)}. An IPv4 address in any form {@code inet_aton} reads ({@code
 * 10.0.0.1}, {@code 10.1}, {@code 0x0a.0.0.1}), or an IPv6 address with an optional {@code %zone}.
 * Anything else would be looked up as a host name, which hostaddr exists to avoid.
 */
final class NumericAddress {
  private NumericAddress() {}

  static boolean isOne(String text) {
    return text.contains(":") ? ipv6(text) : ipv4(text);
  }

  /** inet_aton: one to four parts; each but the last is a byte, the last fills the rest. */
  private static boolean ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4) {
      return false;
    }
    for (int i = 0; i < parts.length; i++) {
      long value = number(parts[i]);
      long limit = i < parts.length - 1 ? 0xff : (1L << (8 * (5 - parts.length))) - 1;
      if (value < 0 || value > limit) {
        return false;
      }
    }
    return true;
  }

  /** A C integer literal: 0x hex, 0 octal, else decimal; -1 when it is none. */
  private static long number(String part) {
    String digits = part;
    int radix = 10;
    if (part.length() > 1 && (part.startsWith("0x") || part.startsWith("0X"))) {
      digits = part.substring(2);
      radix = 16;
    } else if (part.length() > 1 && part.startsWith("0")) {
      digits = part.substring(1);
      radix = 8;
    }
    if (digits.isEmpty() || digits.length() > 11) {
      return -1;
    }
    for (char c : digits.toCharArray()) {
      if (Character.digit(c, radix) < 0 || c > 'z') {
        return -1;
      }
    }
    return Long.parseLong(digits, radix);
  }

  /** inet_pton's IPv6: eight groups of 1 to 4 hex digits, one {@code ::}, an IPv4 tail. */
  private static boolean ipv6(String text) {
    String address = text;
    int zone = text.indexOf('%');
    if (zone >= 0) {
      if (zone == text.length() - 1) {
        return false;
      }
      address = text.substring(0, zone);
    }
    int elided = address.indexOf("::");
    if (elided < 0) {
      return groups(address, true) == 8;
    }
    if (address.indexOf("::", elided + 1) >= 0) {
      return false;
    }
    String left = address.substring(0, elided);
    String right = address.substring(elided + 2);
    int before = left.isEmpty() ? 0 : groups(left, false);
    int after = right.isEmpty() ? 0 : groups(right, true);
    return before >= 0 && after >= 0 && before + after < 8;
  }

  private static final String BYTE = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

  /** How many 16-bit groups these colon-separated groups make, or -1 if they are not groups. */
  private static int groups(String text, boolean mayEndInIpv4) {
    String[] groups = text.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      if (mayEndInIpv4
          && i == groups.length - 1
          && groups[i].matches(BYTE + "(\\." + BYTE + "){3}")) {
        count += 2;
      } else if (groups[i].matches("[0-9A-Fa-f]{1,4}")) {
        count++;
      } else {
        return -1;
      }
    }
    return count;
  }
}
