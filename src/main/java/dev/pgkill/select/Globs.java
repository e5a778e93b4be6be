package dev.pgkill.select;

import java.util.List;

/** Shell-style globs as LIKE patterns: {@code *} and {@code ?} are wild, all else literal. */
final class Globs {
  private Globs() {}

  static List<String> like(List<String> globs) {
    return globs.stream().map(Globs::like).toList();
  }

  static String like(String glob) {
    StringBuilder like = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        case '%', '_', '\\' -> like.append('\\').append(c);
        default -> like.append(c);
      }
    }
    return like.toString();
  }
}
