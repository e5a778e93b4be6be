package dev.pgkill.report;

/**
 * How many columns text takes on a terminal, as {@code wcwidth} counts them: East Asian wide and
 * full-width characters (CJK, Hangul, full-width forms, emoji) take two, combining marks and other
 * zero-width characters none, everything else one. A table aligned by {@code String.length()}
 * misaligns a Chinese query or a role name with accents made of combining marks.
 */
final class DisplayWidth {
  private DisplayWidth() {}

  static int of(String text) {
    int width = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      width += of(codePoint);
      i += Character.charCount(codePoint);
    }
    return width;
  }

  /** The text if it fits in {@code width} columns, else as much as fits with {@code ...}. */
  static String cut(String text, int width) {
    if (of(text) <= width) {
      return text;
    }
    if (width <= 3) {
      return ".".repeat(Math.max(0, width));
    }
    StringBuilder kept = new StringBuilder();
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      int columns = of(codePoint);
      if (used + columns > width - 3) {
        break;
      }
      kept.appendCodePoint(codePoint);
      used += columns;
      i += Character.charCount(codePoint);
    }
    return kept + "...";
  }

  static int of(int codePoint) {
    if (zeroWidth(codePoint)) {
      return 0;
    }
    return wide(codePoint) ? 2 : 1;
  }

  private static boolean zeroWidth(int c) {
    int type = Character.getType(c);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || (type == Character.FORMAT && c != 0x00AD) // a soft hyphen shows
        || (c >= 0x1160 && c <= 0x11FF); // Hangul medial vowels and final consonants
  }

  /** East Asian Wide and Fullwidth, as Markus Kuhn's wcwidth and terminals since Unicode 9. */
  private static boolean wide(int c) {
    return c >= 0x1100
        && (c <= 0x115F // Hangul Jamo initial consonants
            || c == 0x2329
            || c == 0x232A
            || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) // CJK ... Yi
            || (c >= 0xAC00 && c <= 0xD7A3) // Hangul syllables
            || (c >= 0xF900 && c <= 0xFAFF) // CJK compatibility ideographs
            || (c >= 0xFE10 && c <= 0xFE19) // vertical forms
            || (c >= 0xFE30 && c <= 0xFE6F) // CJK compatibility forms
            || (c >= 0xFF00 && c <= 0xFF60) // full-width forms
            || (c >= 0xFFE0 && c <= 0xFFE6)
            || (c >= 0x1F300 && c <= 0x1F64F) // pictographs, emoticons
            || (c >= 0x1F900 && c <= 0x1F9FF) // supplemental symbols and pictographs
            || (c >= 0x20000 && c <= 0x2FFFD) // CJK extension B and later
            || (c >= 0x30000 && c <= 0x3FFFD));
  }
}
