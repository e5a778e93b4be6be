package dev.pgkill.connect;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A password file ({@code ~/.pgpass} or {@code PGPASSFILE}) read with libpq's rules: lines of
 * {@code hostname:port:database:username:password}, {@code #} comments, {@code *} matching any
 * value of a whole field, {@code \:} and {@code \\} escapes, the first matching line wins. A file
 * that group or others may access is ignored with a warning, as libpq does: a password readable by
 * others is not a secret any more, and using it would teach people to leave it that way.
 */
final class PassFile {
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.complementOf(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));

  private final Path file;
  private final Consumer<String> warnings;

  PassFile(Path file, Consumer<String> warnings) {
    this.file = file;
    this.warnings = warnings;
  }

  /** The password of the first line matching all four, if the file exists and may be used. */
  Optional<String> find(String host, String port, String database, String user) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(file)) {
      warnings.accept("password file \"" + file + "\" is not a plain file: ignored");
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
        warnings.accept(
            "password file \""
                + file
                + "\" has group or world access; permissions should be"
                + " u=rw (0600) or less: ignored");
        return Optional.empty();
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Optional<String> password = match(line, List.of(host, port, database, user));
        if (password.isPresent()) {
          return password;
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      warnings.accept("password file \"" + file + "\" could not be read: ignored (" + why(e) + ")");
    }
    return Optional.empty();
  }

  /** Why the file could not be read, in words: a warning is no place for a class name. */
  private static String why(Exception e) {
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? "read error" : e.getMessage();
  }

  /** The password of this line if its first four fields match the values, in order. */
  static Optional<String> match(String line, List<String> values) {

    if (line.isEmpty() || line.startsWith("#")) {
      return Optional.empty();
    }
    List<String> fields = new ArrayList<>();
    List<Boolean> wildcard = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        c = line.charAt(++i);
        escaped = true;
      } else if (c == ':' && fields.size() < 4) {
        wildcard.add(!escaped && field.toString().equals("*"));
        fields.add(field.toString());
        field.setLength(0);
        escaped = false;
        continue;
      }
      field.append(c);
    }
    if (fields.size() < 4) {
      return Optional.empty();
    }
    for (int i = 0; i < 4; i++) {
      if (!wildcard.get(i) && !fields.get(i).equals(values.get(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(field.toString());
  }
}
