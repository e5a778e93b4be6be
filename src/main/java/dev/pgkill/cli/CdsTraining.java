package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The training run for class data sharing: {@code bin/pgkill} runs it once per JDK and jar with
 * {@code -XX:ArchiveClassesAtExit} (or {@code -XX:+AutoCreateSharedArchive} on JDK 19+), and every
 * later run maps the classes it loaded instead of reading, parsing and verifying them again.
 *
 * <p>It goes through {@link Main} only, as a user would: the help, usage errors, targets on
 * standard input, and a cancel against a stand-in server on the loopback interface that accepts the
 * session and finds no sessions, so the driver's connect and query path and the report are loaded
 * too. Then, unless given {@link #RUNS_ONLY}, it loads, without initialising them, the remaining
 * classes of pgkill's jar and its libraries, for the paths a server-less run cannot reach. Its
 * output is discarded; it never signals anything. The self-contained archive's build runs it too,
 * with {@code -XX:AOTCacheOutput} and {@link #RUNS_ONLY}.
 */
public final class CdsTraining {
  /**
   * The argument that leaves out the loading of the whole class path, for the AOT cache of JDK 25
   * (the self-contained archive): the JVM loads and links every class such a cache holds at each
   * start, so one that held every class of every library would make each start slower (measured: a
   * cache of 49 MB instead of 23 MB, and a third more CPU time for {@code --version}).
   */
  static final String RUNS_ONLY = "--runs-only";

  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    run("", "--help");
    run("", "--version");
    run("", "--no-such-option");
    run("", "--cancel", "-12");
    run("1 2 # a comment\n3@2026-11-25T20:30:54.123456Z\nnot-a-pid\n", "--terminate", "-");
    try (StandInServer server = new StandInServer()) {
      String port = Integer.toString(server.port());
      run("", "-h", "127.0.0.1", "-p", port, "-U", "pgkill", "-w", "--cancel", "4242");
      // Verbose runs start Logback: its classes and lambdas are worth archiving too.
      run("", "-h", "127.0.0.1", "-p", port, "-U", "pgkill", "-w", "-vv", "--terminate", "4242");
    }
    if (!List.of(args).contains(RUNS_ONLY)) {
      loadClassPath();
    }
  }

  private static void run(String stdin, String... args) {
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    Environment environment = new Environment(Map.of(), "pgkill", Path.of("/nonexistent"));
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    try {
      new Main(discard, discard, in, environment, Terminal.NONE).run(args);
    } catch (RuntimeException e) {
      // Training only: whatever it loaded before failing is still worth archiving.
    }
  }

  /** Loads every class of the jars on the class path, without running their initialisers. */
  private static void loadClassPath() {
    ClassLoader loader = CdsTraining.class.getClassLoader();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      try (JarFile jar = new JarFile(entry)) {
        loadJar(jar, loader);
        String manifestPath =
            jar.getManifest() == null
                ? null
                : jar.getManifest().getMainAttributes().getValue("Class-Path");
        if (manifestPath != null) {
          Path dir = Path.of(entry).toAbsolutePath().getParent();
          for (String library : manifestPath.trim().split("\\s+")) {
            try (JarFile libraryJar = new JarFile(dir.resolve(library).toFile())) {
              loadJar(libraryJar, loader);
            } catch (IOException e) {
              // A missing library: the real runs will not find it either.
            }
          }
        }
      } catch (IOException e) {
        // A directory or a missing entry: nothing to preload from it.
      }
    }
  }

  private static void loadJar(JarFile jar, ClassLoader loader) {
    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
      String name = entries.nextElement().getName();
      if (name.endsWith(".class") && !name.contains("-") && !name.startsWith("META-INF/")) {
        try {
          Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
        } catch (Throwable e) {
          // An optional dependency the class needs is absent: it cannot be archived, nor used.
        }
      }
    }
  }

  /**
   * Just enough of a PostgreSQL server (protocol 3) for pgkill's sessions: it trusts the client,
   * reports itself as 18.0, answers the question of which server it is (ServerIdentity's row) and
   * every other statement with a result without rows, so pgkill finds no targets, signals nothing
   * and reports that. Without the identity's row the session would end there, and none of what a
   * real run loads after it (the selection, the safety checks, the report) would be trained.
   */
  private static final class StandInServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    StandInServer() throws IOException {
      socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      thread = new Thread(this::serve, "cds-training-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket client = socket.accept()) {
          session(client);
        } catch (IOException e) {
          // Closed, or the client gave up: the training goes on without it.
        }
      }
    }

    private static void session(Socket client) throws IOException {
      client.setSoTimeout(5000);
      DataInputStream in = new DataInputStream(client.getInputStream());
      DataOutputStream out = new DataOutputStream(client.getOutputStream());
      startUp(in, out);
      boolean identity = false; // whether the statement parsed last is ServerIdentity's
      for (int type = in.read(); type >= 0 && type != 'X'; type = in.read()) {
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        if (type == 'P') {
          identity = new String(body, StandardCharsets.UTF_8).contains("inet_server_addr()");
        }
        if (identity && (type == 'D' || type == 'E')) {
          identify(type, body, out);
        } else {
          answer(type, body, out);
        }
        out.flush();
      }
    }

    /**
     * ServerIdentity's row, described and then executed: a primary at 127.0.0.1:5432, version 18,
     * whose system identifier this user cannot read (so it asks nothing more).
     */
    private static void identify(int type, byte[] body, DataOutputStream out) throws IOException {
      String[] names = {
        "host", "inet_server_port", "int4", "pg_is_in_recovery", "port", "readable"
      };
      int[] types = {25, 23, 23, 16, 23, 16}; // text, int4, int4, bool, int4, bool
      String[] values = {"127.0.0.1", "5432", "180000", "f", "5432", "f"};
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream fields = new DataOutputStream(bytes);
      fields.writeShort(names.length);
      if (type == 'D') {
        if (body[0] == 'S') {
          message(out, 't', new byte[2]); // ParameterDescription: none
        }
        for (int i = 0; i < names.length; i++) {
          fields.write(strings(names[i]));
          fields.writeInt(0); // no table
          fields.writeShort(0); // no column of one
          fields.writeInt(types[i]);
          fields.writeShort(types[i] == 16 ? 1 : types[i] == 23 ? 4 : -1); // the type's length
          fields.writeInt(-1); // no type modifier
          fields.writeShort(0); // text
        }
        message(out, 'T', bytes.toByteArray()); // RowDescription
        return;
      }
      for (String value : values) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        fields.writeInt(text.length);
        fields.write(text);
      }
      message(out, 'D', bytes.toByteArray()); // DataRow
      message(out, 'C', strings("SELECT 1"));
    }

    /** The start-up: no TLS or GSS encryption, no password, a server that reads as 18. */
    private static void startUp(DataInputStream in, DataOutputStream out) throws IOException {
      byte[] startup = new byte[in.readInt() - 4];
      in.readFully(startup);
      while (startup.length == 4) { // SSLRequest or GSSENCRequest: "N", not supported
        out.writeByte('N');
        out.flush();
        startup = new byte[in.readInt() - 4];
        in.readFully(startup);
      }
      message(out, 'R', new byte[4]); // AuthenticationOk
      parameter(out, "server_version", "18.0");
      parameter(out, "server_encoding", "UTF8");
      parameter(out, "client_encoding", "UTF8");
      parameter(out, "DateStyle", "ISO, MDY");
      parameter(out, "integer_datetimes", "on");
      parameter(out, "standard_conforming_strings", "on");
      parameter(out, "TimeZone", "UTC");
      message(out, 'K', new byte[8]); // BackendKeyData
      message(out, 'Z', new byte[] {'I'}); // ReadyForQuery, idle
      out.flush();
    }

    /** What a server with no rows anywhere answers to one message of the extended protocol. */
    private static void answer(int type, byte[] body, DataOutputStream out) throws IOException {
      switch (type) {
        case 'P' -> message(out, '1', new byte[0]); // ParseComplete
        case 'B' -> message(out, '2', new byte[0]); // BindComplete
        case 'D' -> { // Describe: no parameters to infer, and a result without columns
          if (body[0] == 'S') {
            message(out, 't', new byte[2]);
          }
          message(out, 'T', new byte[2]);
        }
        case 'E' -> message(out, 'C', strings("SELECT 0")); // Execute: no rows
        case 'C' -> message(out, '3', new byte[0]); // CloseComplete
        case 'Q' -> { // a simple query: no rows either
          message(out, 'T', new byte[2]);
          message(out, 'C', strings("SELECT 0"));
          message(out, 'Z', new byte[] {'I'});
        }
        case 'S' -> message(out, 'Z', new byte[] {'I'}); // Sync: ready for the next one
        default -> { // anything else: an ERROR, as a server would answer nonsense
          message(out, 'E', strings("SERROR", "VERROR", "C08P01", "Mtraining run", ""));
          message(out, 'Z', new byte[] {'I'});
        }
      }
    }

    private static void parameter(DataOutputStream out, String name, String value)
        throws IOException {
      message(out, 'S', strings(name, value));
    }

    /** NUL-terminated strings, one after the other. */
    private static byte[] strings(String... values) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (String value : values) {
        bytes.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        bytes.write(0);
      }
      return bytes.toByteArray();
    }

    private static void message(DataOutputStream out, char type, byte[] body) throws IOException {
      out.writeByte(type);
      out.writeInt(body.length + 4);
      out.write(body);
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
