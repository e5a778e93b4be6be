package dev.pgkill.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The name of the host running pgkill, as its kernel knows it: read without a DNS lookup, which can
 * hang for seconds when the resolver is down, the moment an audit line is most needed.
 */
final class HostName {
  private static final Path KERNEL = Path.of("/proc/sys/kernel/hostname");

  private HostName() {}

  static String of(dev.pgkill.connect.Environment environment) {
    try {
      String name = Files.readString(KERNEL, StandardCharsets.UTF_8).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException e) {
      // not Linux: the shell's idea of it below
    }
    String variable = environment.get("HOSTNAME");
    return variable == null ? "unknown" : variable;
  }
}
