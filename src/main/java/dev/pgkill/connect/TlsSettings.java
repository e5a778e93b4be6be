package dev.pgkill.connect;

import static dev.pgkill.connect.SettingText.existing;
import static dev.pgkill.connect.SettingText.path;

import dev.pgkill.text.UsageError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * libpq's TLS settings, with its default files under ~/.postgresql. As libpq, {@code require} with
 * a root certificate present verifies the server's certificate as {@code verify-ca} does, and
 * {@code sslrootcert=system} (libpq 16) means the system's trusted roots, with {@code verify-full}
 * as the default and only mode: any public authority vouches for some name, so only checking the
 * name makes them safe.
 */
final class TlsSettings {
  /**
   * Where OpenSSL, and so libpq, finds the system's trusted root certificates unless {@code
   * SSL_CERT_FILE} names a file: Debian, Ubuntu and Arch; Red Hat and Fedora; SUSE; Alpine and the
   * BSDs.
   */
  static final List<Path> SYSTEM_ROOT_CERTIFICATES =
      List.of(
          Path.of("/etc/ssl/certs/ca-certificates.crt"),
          Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
          Path.of("/etc/ssl/ca-bundle.pem"),
          Path.of("/etc/ssl/cert.pem"));

  private final Environment environment;

  TlsSettings(Environment environment) {
    this.environment = environment;
  }

  Tls tls(Map<String, String> values) {
    String mode = values.getOrDefault("sslmode", "prefer");
    if (!Tls.MODES.contains(mode)) {
      throw new UsageError(
          "invalid sslmode \"" + mode + "\": one of " + String.join(", ", Tls.MODES));
    }
    Path directory = environment.home().resolve(".postgresql");
    String rootCert = values.getOrDefault("sslrootcert", directory.resolve("root.crt").toString());
    if (rootCert.equals("system")) {
      mode = systemMode(mode, values.containsKey("sslmode"));
      rootCert = systemRootCertificates().toString();
    } else if (mode.equals("require") && Files.exists(path("sslrootcert", rootCert))) {
      mode = "verify-ca";
    }
    Tls tls =
        new Tls(
            mode,
            rootCert,
            values.getOrDefault("sslcert", existing(directory.resolve("postgresql.crt"))),
            values.getOrDefault("sslkey", existing(directory.resolve("postgresql.key"))));
    // The connector reads the files itself (see ClientKey): their names must be ones files can
    // have.
    if (tls.key() != null) {
      path("sslkey", tls.key());
    }
    if (tls.cert() != null) {
      path("sslcert", tls.cert());
    }
    return tls;
  }

  /** sslrootcert=system: verify-full when no mode was given, and no other mode. */
  private static String systemMode(String mode, boolean given) {
    if (!given) {
      return "verify-full";
    }
    if (!mode.equals("verify-full")) {
      throw new UsageError(
          "weak sslmode \""
              + mode
              + "\" may not be used with sslrootcert=system (use"
              + " \"verify-full\")");
    }
    return mode;
  }

  /** OpenSSL's: the file {@code SSL_CERT_FILE} names, else the system's bundle. */
  private Path systemRootCertificates() {
    String named = environment.get("SSL_CERT_FILE");
    if (named != null) {
      return path("SSL_CERT_FILE", named);
    }
    return SYSTEM_ROOT_CERTIFICATES.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(
            () ->
                new UsageError(
                    "sslrootcert=system: no system root certificates found (looked for "
                        + SYSTEM_ROOT_CERTIFICATES.stream()
                            .map(Path::toString)
                            .collect(Collectors.joining(", "))
                        + "); name a file with SSL_CERT_FILE or sslrootcert"));
  }
}
