package dev.pgkill.select;

/**
 * What inet_cidr_pton_ipv6 counts while it reads an IPv6 address: the 16 bytes the groups fill,
 * where the one {@code ::} stands, and the hex digits of the group being read.
 */
final class Ipv6Groups {
  private static final int BYTES = 16;

  private int size; // bytes written
  private int elision = -1; // where "::" stands, in bytes
  private boolean sawDigit;
  private int digits;

  /** A hex digit of the current group: at most four to a group. */
  boolean hexDigit() {
    sawDigit = true;
    return ++digits <= 4;
  }

  /**
   * A colon: it ends a group, or, after another colon, is the one {@code ::}; a colon that ends the
   * text after a group is refused.
   */
  boolean colon(boolean last) {
    if (!sawDigit) {
      if (elision >= 0) {
        return false;
      }
      elision = size;
      return true;
    }
    if (last || size + 2 > BYTES) {
      return false;
    }
    size += 2;
    sawDigit = false;
    digits = 0;
    return true;
  }

  boolean roomForIpv4() {
    return size + 4 <= BYTES;
  }

  /** An IPv4 tail, read by the caller, fills the next four bytes and ends the address. */
  void ipv4() {
    size += 4;
    sawDigit = false;
  }

  /** Whether the groups, with the last one and what {@code ::} stands for, make 16 bytes. */
  boolean complete() {
    int bytes = size;
    if (sawDigit) {
      if (bytes + 2 > BYTES) {
        return false;
      }
      bytes += 2;
    }
    if (elision >= 0) {
      if (bytes == BYTES) {
        return false;
      }
      bytes = BYTES;
    }
    return bytes == BYTES;
  }
}
