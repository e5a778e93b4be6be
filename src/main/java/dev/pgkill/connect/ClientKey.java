package dev.pgkill.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's private key in a form pgjdbc 42.7 reads. pgjdbc reads PEM only as unencrypted PKCS-8
 * ({@code BEGIN PRIVATE KEY}) and only for the algorithm named in {@code pemKeyAlgorithm} (RSA
 * unless told); libpq's usual files are also PKCS-1 RSA ({@code BEGIN RSA PRIVATE KEY}, what older
 * openssl and many guides write) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}). Those two are
 * re-wrapped as PKCS-8 (the key itself unchanged) into a file only the user can read, in a
 * directory of its own, deleted by {@link #close()} once the TLS handshake is over. Anything else
 * (DER, .p12, encrypted keys) is handed to pgjdbc as it is; {@link #check} first refuses what libpq
 * refuses.
 */
final class ClientKey implements AutoCloseable {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
  private static final byte[] RSA_OID = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final byte[] ED25519_OID = {0x2b, 0x65, 0x70};
  private static final byte[] ED448_OID = {0x2b, 0x65, 0x71};

  private final String path;
  private final String algorithm;
  private final Path temporaryDirectory;

  private ClientKey(String path, String algorithm, Path temporaryDirectory) {
    this.path = path;
    this.algorithm = algorithm;
    this.temporaryDirectory = temporaryDirectory;
  }

  /** The key file for pgjdbc's {@code sslkey}: the given one, or a PKCS-8 copy of it. */
  String path() {
    return path;
  }

  /** pgjdbc's {@code pemKeyAlgorithm} for a PEM key, when it is not RSA. */
  Optional<String> algorithm() {
    return Optional.ofNullable(algorithm);
  }

  /**
   * Refuses the key file as libpq does before using it: one that group or others may access (a key
   * others can read is no secret, and using it would teach people to leave it so), except group
   * read for a file root owns. An encrypted PEM key is refused too: libpq would ask for its
   * passphrase, pgjdbc cannot read it and would say only "extra data at the end".
   */
  static void check(String keyFile) throws SQLException {
    Path file = Path.of(keyFile);
    if (!Files.isRegularFile(file)) {
      return; // pgjdbc says what is wrong with it
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      boolean root = Integer.valueOf(0).equals(Files.getAttribute(file, "unix:uid"));
      Set<PosixFilePermission> allowed =
          root
              ? PosixFilePermissions.fromString("rwxr-----")
              : PosixFilePermissions.fromString("rwx------");
      if (!allowed.containsAll(permissions)) {
        throw new SQLException(
            "private key file \""
                + file
                + "\" has group or world access; file must have"
                + " permissions u=rw (0600) or less if owned by the current user, or permissions"
                + " u=rw,g=r (0640) or less if owned by root");
      }
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
          || text.contains("Proc-Type: 4,ENCRYPTED")) {
        throw new SQLException(
            "private key file \""
                + file
                + "\" is encrypted, which pgkill does not support:"
                + " decrypt it into a file only you can read (openssl pkcs8 -topk8 -nocrypt -in "
                + file
                + " -out NEW.key)");
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // No POSIX permissions, or unreadable: pgjdbc reads it, or says why it cannot.
    }
  }

  static ClientKey of(String keyFile) {
    if (keyFile == null || !Files.isRegularFile(Path.of(keyFile))) {
      return new ClientKey(keyFile, null, null);
    }
    String text;
    try {
      text = Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII);
    } catch (IOException | UncheckedIOException e) {
      return new ClientKey(keyFile, null, null); // DER or unreadable: pgjdbc says what is wrong
    }
    Matcher pem = PEM.matcher(text);
    if (!pem.find() || text.contains("ENCRYPTED")) {
      return new ClientKey(keyFile, null, null);
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
    return switch (pem.group(1)) {
      case "PRIVATE KEY" -> new ClientKey(keyFile, algorithmOf(der), null);
      case "RSA PRIVATE KEY" -> rewrapped(pkcs8(RSA_OID, der(0x05, new byte[0]), der), null);
      case "EC PRIVATE KEY" -> rewrapped(pkcs8(EC_OID, curveOf(der), der), "EC");
      default -> new ClientKey(keyFile, null, null);
    };
  }

  private static ClientKey rewrapped(byte[] pkcs8, String algorithm) {
    try {
      Path directory =
          Files.createTempDirectory(
              "pgkill-key",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = directory.resolve("client.key");
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          file,
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder().encodeToString(pkcs8)
              + "\n-----END PRIVATE KEY-----\n");
      Arrays.fill(pkcs8, (byte) 0);
      return new ClientKey(file.toString(), algorithm, directory);
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the client key for the driver", e);
    }
  }

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

  /** Deletes the re-wrapped copy, if one was made. */
  @Override
  public void close() {
    if (temporaryDirectory == null) {
      return;
    }
    try (var files = Files.walk(temporaryDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(ClientKey::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
