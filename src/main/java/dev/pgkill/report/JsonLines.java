package dev.pgkill.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** JSON Lines: each object the fields write, on a line of its own. */
final class JsonLines {
  private static final JsonFactory JSON = new JsonFactory();

  private final PrintWriter out;
  private final Fields last;

  JsonLines(PrintWriter out) {
    this(out, json -> {});
  }

  /** Lines that each end with what {@code last} writes: the server, in a run over several. */
  JsonLines(PrintWriter out, Fields last) {
    this.out = out;
    this.last = last;
  }

  /** The fields of one object. */
  interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  void line(Fields fields) {
    try {
      JsonGenerator json = JSON.createGenerator(out);
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.writeStartObject();
      fields.write(json);
      last.write(json);
      json.writeEndObject();
      json.close();
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void flush() {
    out.flush();
  }
}
