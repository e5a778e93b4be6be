package dev.pgkill.connect;

/**
 * libpq's TLS settings: the {@code sslmode} and the files, null where not given. The modes mean
 * what they mean in libpq: {@code verify-ca} checks the server's certificate against the root
 * certificate, {@code verify-full} also checks that it names the host connected to.
 */
public record Tls(String mode, String rootCert, String cert, String key) {
  static final java.util.List<String> MODES =
      java.util.List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** No TLS at all: what libpq does on a Unix-domain socket, whatever the mode. */
  static final Tls NONE = new Tls("disable", null, null, null);

  /** As libpq: the client certificate goes with TLS when its file is there, and its key then. */
  boolean sendsCertificate() {
    return !mode.equals("disable")
        && cert != null
        && key != null
        && java.nio.file.Files.exists(java.nio.file.Path.of(cert));
  }

  /** Whether the connection fails rather than go on without TLS. */
  boolean required() {
    return mode.equals("require") || mode.startsWith("verify-");
  }
}
