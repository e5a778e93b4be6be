package dev.pgkill.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority, a server certificate for {@code localhost} only (no IP address in it, so
 * {@code 127.0.0.1} is a wrong host name for verify-full) and a client certificate for one role,
 * made at run time with the {@code openssl} command. Keys are PEM PKCS-8 files with 0600
 * permissions, what {@code openssl} 3 writes and what both the server and libpq accept.
 */
public record Certificates(
    Path ca,
    Path serverCert,
    Path serverKey,
    Path clientCert,
    Path clientKey,
    Path clientKeyPkcs1) {

  public static Certificates make(Path directory, String clientRole)
      throws IOException, InterruptedException {
    Path ext = Files.writeString(directory.resolve("server.ext"), "subjectAltName=DNS:localhost\n");
    openssl(
        directory,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=pgkill test CA");
    signed(directory, "server", "/CN=localhost", ext);
    signed(directory, "client", "/CN=" + clientRole, null);
    // The same client key as PKCS-1, "BEGIN RSA PRIVATE KEY", as older openssl wrote it.
    openssl(directory, "rsa", "-in", "client.key", "-traditional", "-out", "client-rsa.key");
    for (String key : List.of("ca.key", "server.key", "client.key", "client-rsa.key")) {
      Files.setPosixFilePermissions(
          directory.resolve(key), PosixFilePermissions.fromString("rw-------"));
    }
    return new Certificates(
        directory.resolve("ca.crt"),
        directory.resolve("server.crt"),
        directory.resolve("server.key"),
        directory.resolve("client.crt"),
        directory.resolve("client.key"),
        directory.resolve("client-rsa.key"));
  }

  private static void signed(Path directory, String name, String subject, Path ext)
      throws IOException, InterruptedException {
    openssl(
        directory,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        subject);
    if (ext == null) {
      openssl(
          directory,
          "x509",
          "-req",
          "-in",
          name + ".csr",
          "-CA",
          "ca.crt",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-out",
          name + ".crt",
          "-days",
          "2");
    } else {
      openssl(
          directory,
          "x509",
          "-req",
          "-in",
          name + ".csr",
          "-CA",
          "ca.crt",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-out",
          name + ".crt",
          "-days",
          "2",
          "-extfile",
          ext.toString());
    }
  }

  private static void openssl(Path directory, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }
}
