package dev.pgkill.select;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Reads targets from standard input: tokens separated by white space, {@code #} starting a comment
 * to the end of the line. Streams token by token, so neither a huge list nor one endless line is
 * held in memory, and reports a bad token with its line number.
 */
public final class TargetReader {
  /** Longer than any {@code PID@BACKEND_START} token can honestly be. */
  static final int MAX_TOKEN = 64;

  private final String source;

  public TargetReader(String source) {
    this.source = source;
  }

  public void read(Reader in, Consumer<Target> sink) {
    try {
      readTokens(in, sink);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
  }

  private void readTokens(Reader in, Consumer<Target> sink) throws IOException {
    StringBuilder token = new StringBuilder();
    int line = 1;
    boolean comment = false;
    for (int c = skipByteOrderMark(in); ; c = in.read()) {
      boolean end = c < 0;
      boolean separator = end || Character.isWhitespace(c);
      if (separator || (c == '#' && token.length() == 0)) {
        if (token.length() > 0) {
          sink.accept(parse(token.toString(), line));
          token.setLength(0);
        }
        if (c == '#') {
          comment = true;
        }
        if (c == '\n') {
          line++;
          comment = false;
        }
        if (end) {
          return;
        }
      } else if (!comment) {
        append(token, c, line);
      }
    }
  }

  /** One more character of a target: text, and no longer than any target can be. */
  private void append(StringBuilder token, int c, int line) {
    if (c == 0) {
      throw new UsageError(
          "binary data on " + source + " line " + line + ": expected PIDs, one per line");
    }
    if (token.length() == MAX_TOKEN) {
      throw new UsageError(
          "invalid target "
              + SafeText.quoted(token.toString())
              + " on "
              + source
              + " line "
              + line
              + ": longer than "
              + MAX_TOKEN
              + " characters");
    }
    token.append((char) c);
  }

  /** The first character, past the byte order mark some Windows tools start a file with. */
  private static int skipByteOrderMark(Reader in) throws IOException {
    int c = in.read();
    return c == '\ufeff' ? in.read() : c;
  }

  private Target parse(String token, int line) {
    try {
      return Target.parse(token);
    } catch (UsageError e) {
      throw new UsageError(e.getMessage() + " (" + source + " line " + line + ")");
    }
  }
}
