package dev.pgkill.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys made by the openssl command, as users make them, read back as the JDK reads PKCS-8. */
class ClientKeyTest {
  @TempDir Path directory;

  private Path openssl(String out, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0)
        .as(output)
        .isTrue();
    return directory.resolve(out);
  }

  /** What openssl itself makes of the key as PKCS-8 DER: the expected result. */
  private PrivateKey opensslPkcs8(Path key, String algorithm) throws Exception {
    Path der =
        openssl(
            "expected.der",
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            key.toString(),
            "-outform",
            "DER",
            "-out",
            "expected.der");
    return KeyFactory.getInstance(algorithm)
        .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(der)));
  }

  private static PrivateKey readPem(String file, String algorithm) throws Exception {
    String pem = Files.readString(Path.of(file));
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "");
    return KeyFactory.getInstance(algorithm)
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
  }

  @Test
  void pkcs1RsaKeyIsRewrappedAsPkcs8OnlyTheUserCanReadAndDeletedAfterwards() throws Exception {
    Path key = openssl("rsa.key", "genrsa", "-traditional", "-out", "rsa.key", "2048");
    assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    String copy;
    try (ClientKey clientKey = ClientKey.of(key.toString())) {
      copy = clientKey.path();
      assertThat(copy).isNotEqualTo(key.toString());
      assertThat(clientKey.algorithm()).isEmpty();
      assertThat(readPem(copy, "RSA")).isEqualTo(opensslPkcs8(key, "RSA"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(copy))))
          .isEqualTo("rw-------");
    }
    assertThat(Path.of(copy)).doesNotExist();
    assertThat(Path.of(copy).getParent()).doesNotExist();
  }

  @Test
  void sec1EcKeyIsRewrappedAsPkcs8WithItsCurve() throws Exception {
    Path key =
        openssl("ec.key", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");

    try (ClientKey clientKey = ClientKey.of(key.toString())) {
      assertThat(clientKey.algorithm()).contains("EC");
      // The encodings may differ (openssl drops the curve inside the key): compare the key itself.
      ECPrivateKey actual = (ECPrivateKey) readPem(clientKey.path(), "EC");
      ECPrivateKey expected = (ECPrivateKey) opensslPkcs8(key, "EC");
      assertThat(actual.getS()).isEqualTo(expected.getS());
      assertThat(actual.getParams().getCurve()).isEqualTo(expected.getParams().getCurve());
    }
  }

  @Test
  void pkcs8PemIsPassedAsItIsWithItsAlgorithmNamed() throws Exception {
    Path rsa = openssl("rsa8.key", "genpkey", "-algorithm", "RSA", "-out", "rsa8.key");
    Path ec =
        openssl(
            "ec8.key",
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "ec8.key");
    Path ed = openssl("ed.key", "genpkey", "-algorithm", "ed25519", "-out", "ed.key");

    try (ClientKey rsaKey = ClientKey.of(rsa.toString());
        ClientKey ecKey = ClientKey.of(ec.toString());
        ClientKey edKey = ClientKey.of(ed.toString())) {
      assertThat(rsaKey.path()).isEqualTo(rsa.toString());
      assertThat(rsaKey.algorithm()).isEmpty();
      assertThat(ecKey.path()).isEqualTo(ec.toString());
      assertThat(ecKey.algorithm()).contains("EC");
      assertThat(edKey.algorithm()).contains("EdDSA");
    }
  }

  @Test
  void derEncryptedOrMissingKeysAreLeftToTheDriver() throws Exception {
    Path der = openssl("k.pk8", "genpkey", "-algorithm", "RSA", "-outform", "DER", "-out", "k.pk8");
    Path encrypted =
        openssl(
            "enc.key",
            "genpkey",
            "-algorithm",
            "RSA",
            "-aes256",
            "-pass",
            "pass:x",
            "-out",
            "enc.key");

    for (String file :
        new String[] {
          der.toString(), encrypted.toString(), directory.resolve("none").toString(), null
        }) {
      try (ClientKey key = ClientKey.of(file)) {
        assertThat(key.path()).isEqualTo(file);
        assertThat(key.algorithm()).isEmpty();
      }
    }
  }

  private Path keyFile(String name, String permissions, String text) throws IOException {
    Path file = Files.writeString(directory.resolve(name), text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void keyOnlyItsOwnerCanReadPassesTheCheck() throws Exception {
    Path key = openssl("rsa.key", "genrsa", "-traditional", "-out", "rsa.key", "2048");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

    ClientKey.check(key.toString());
  }

  @Test
  void keyGroupOrOthersMayAccessIsRefusedInLibpqsWords() throws Exception {
    for (String permissions : List.of("rw-r-----", "rw----r--", "rw--w----", "rwx---rwx")) {
      Path key = keyFile("k-" + permissions + ".key", permissions, "-----BEGIN PRIVATE KEY-----\n");

      assertThatThrownBy(() -> ClientKey.check(key.toString()))
          .as(permissions)
          .hasMessage(
              "private key file \""
                  + key
                  + "\" has group or world access; file must have"
                  + " permissions u=rw (0600) or less if owned by the current user, or permissions"
                  + " u=rw,g=r (0640) or less if owned by root");
    }
  }

  @Test
  void encryptedPemKeysAreRefusedWithHowToDecryptThem() throws Exception {
    Path plain = openssl("plain.key", "genpkey", "-algorithm", "RSA", "-out", "plain.key");
    Path pkcs8 = dev.pgkill.testing.EncryptedKey.write(plain, directory.resolve("pkcs8.key"), "x");
    Path legacy =
        keyFile(
            "legacy.key",
            "rw-------",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n");
    // A real encrypted key: openssl reads it back with the passphrase.
    openssl(
        "decrypted.key",
        "pkcs8",
        "-in",
        pkcs8.toString(),
        "-passin",
        "pass:x",
        "-out",
        "decrypted.key");

    for (Path key : List.of(pkcs8, legacy)) {
      assertThatThrownBy(() -> ClientKey.check(key.toString()))
          .hasMessage(
              "private key file \""
                  + key
                  + "\" is encrypted, which pgkill does not support:"
                  + " decrypt it into a file only you can read (openssl pkcs8 -topk8 -nocrypt -in "
                  + key
                  + " -out NEW.key)");
    }
  }
}
