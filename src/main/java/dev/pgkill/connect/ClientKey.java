package dev.pgkill.connect;

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
      case "PRIVATE KEY" -> new ClientKey(keyFile, Pkcs8.algorithmOf(der), null);
      case "RSA PRIVATE KEY" -> rewrapped(Pkcs8.ofRsa(der), null);
      case "EC PRIVATE KEY" -> rewrapped(Pkcs8.ofEc(der), "EC");
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
