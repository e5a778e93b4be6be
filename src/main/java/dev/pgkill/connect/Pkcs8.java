package dev.pgkill.connect;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Just enough DER to re-wrap the keys libpq reads and pgjdbc does not (PKCS-1 RSA, SEC1 EC) as the
 * PKCS-8 pgjdbc reads, and to tell a PKCS-8 key's algorithm by its OID.
 */
final class Pkcs8 {
  private static final byte[] RSA_OID = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final byte[] ED25519_OID = {0x2b, 0x65, 0x70};
  private static final byte[] ED448_OID = {0x2b, 0x65, 0x71};

  private Pkcs8() {}

  /** The algorithm of a PKCS-8 key, by its OID, in the JDK's names; null for RSA (the default). */
  static String algorithmOf(byte[] pkcs8) {
    if (contains(pkcs8, EC_OID)) {
      return "EC";
    }
    if (contains(pkcs8, ED25519_OID) || contains(pkcs8, ED448_OID)) {
      return "EdDSA";
    }
    return null;
  }

  /** The named-curve OID, tagged, from a SEC1 key's {@code [0] parameters}. */
  private static byte[] curveOf(byte[] sec1) {
    // SEC1: SEQUENCE { INTEGER 1, OCTET STRING key, [0] { OID curve }, [1] public key }
    int at = headerLength(sec1, 0);
    while (at < sec1.length) {
      int tag = sec1[at] & 0xff;
      int length = headerLength(sec1, at) + contentLength(sec1, at);
      if (tag == 0xa0) {
        return Arrays.copyOfRange(sec1, at + headerLength(sec1, at), at + length);
      }
      at += length;
    }
    throw new IllegalArgumentException(
        "EC key without its curve: convert it with openssl pkcs8 -topk8");
  }

  /** A PKCS-1 RSA key ({@code BEGIN RSA PRIVATE KEY}) wrapped as PKCS-8, the key unchanged. */
  static byte[] ofRsa(byte[] pkcs1) {
    return pkcs8(RSA_OID, der(0x05, new byte[0]), pkcs1);
  }

  /** A SEC1 EC key ({@code BEGIN EC PRIVATE KEY}) wrapped as PKCS-8, the key unchanged. */
  static byte[] ofEc(byte[] sec1) {
    return pkcs8(EC_OID, curveOf(sec1), sec1);
  }

  /** PrivateKeyInfo: SEQUENCE { INTEGER 0, SEQUENCE { OID, parameters }, OCTET STRING key }. */
  private static byte[] pkcs8(byte[] algorithmOid, byte[] parameters, byte[] key) {
    byte[] algorithm = der(0x30, concat(der(0x06, algorithmOid), parameters));
    return der(0x30, concat(der(0x02, new byte[] {0}), algorithm, der(0x04, key)));
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static int headerLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }

  private static int contentLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return length;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static boolean contains(byte[] data, byte[] oid) {
    byte[] tagged = der(0x06, oid);
    outer:
    for (int i = 0; i + tagged.length <= data.length && i < 64; i++) {
      for (int j = 0; j < tagged.length; j++) {
        if (data[i + j] != tagged[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
