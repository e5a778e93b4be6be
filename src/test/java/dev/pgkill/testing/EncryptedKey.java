package dev.pgkill.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * A PKCS-8 private key encrypted with a passphrase ({@code BEGIN ENCRYPTED PRIVATE KEY}, PBES2 with
 * AES-256, what {@code openssl pkcs8 -topk8} writes by default), made with the JDK alone.
 */
public final class EncryptedKey {
  private static final String ALGORITHM = "PBEWithHmacSHA256AndAES_256";

  /** 1.2.840.113549.1.5.13 */
  private static final byte[] PBES2 = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d
  };

  private EncryptedKey() {}

  private static byte[] der(int tag, byte[] content) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(tag);
    if (content.length < 0x80) {
      out.write(content.length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(content.length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(content.length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /** Encrypts the unencrypted PKCS-8 PEM key {@code plain} into {@code file}, mode 0600. */
  public static Path write(Path plain, Path file, String passphrase) throws Exception {
    String pem = Files.readString(plain);
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    byte[] salt = new byte[16];
    byte[] iv = new byte[16];
    SecureRandom random = new SecureRandom();
    random.nextBytes(salt);
    random.nextBytes(iv);
    Cipher cipher = Cipher.getInstance(ALGORITHM);
    cipher.init(
        Cipher.ENCRYPT_MODE,
        SecretKeyFactory.getInstance(ALGORITHM)
            .generateSecret(new PBEKeySpec(passphrase.toCharArray())),
        new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
    // EncryptedPrivateKeyInfo: SEQUENCE { SEQUENCE { OID pbes2, PBES2-params }, OCTET STRING }.
    // Java 17's own EncryptedPrivateKeyInfo cannot name PBES2, so the DER is written here.
    byte[] algorithm = der(0x30, concat(der(0x06, PBES2), cipher.getParameters().getEncoded()));
    byte[] encrypted = der(0x30, concat(algorithm, der(0x04, cipher.doFinal(der))));
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        file,
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(encrypted)
            + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
    return file;
  }
}
