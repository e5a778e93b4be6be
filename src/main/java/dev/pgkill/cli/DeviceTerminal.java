package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The controlling terminal, {@code /dev/tty}, used as psql uses it for passwords: the question and
 * the password prompt go there whatever standard input and output are, since standard input may
 * carry PIDs and standard output may be a file or a pipe. A process without one (cron, {@code
 * setsid}) cannot open it: no one is there to ask. Nothing is opened or run until a question, a
 * password or the width is needed, so a run that needs none of them costs nothing.
 */
final class DeviceTerminal implements Terminal {
  private static final File TTY = new File("/dev/tty");

  /** Where standard output goes, on Linux: {@code /dev/pts/3}, a file, {@code pipe:[...]}. */
  private static final Path STANDARD_OUTPUT = Path.of("/proc/self/fd/1");

  private final Environment environment;
  private final Charset charset;
  private final BooleanSupplier consoleOutput;
  private boolean triedToOpen;
  private Tty tty;
  private String outputDevice;
  private Boolean showsOutput;
  private int width = -1;

  /**
   * @param consoleOutput whether standard output is a terminal, where {@code /proc} cannot say
   */
  DeviceTerminal(Environment environment, Charset charset, BooleanSupplier consoleOutput) {
    this.environment = environment;
    this.charset = charset;
    this.consoleOutput = consoleOutput;
  }

  private record Tty(InputStream in, OutputStream out) {}

  @Override
  public boolean interactive() {
    return tty() != null;
  }

  @Override
  public boolean showsOutput() {
    if (showsOutput == null) {
      try {
        String target = Files.readSymbolicLink(STANDARD_OUTPUT).toString();
        boolean terminal =
            target.startsWith("/dev/pts/")
                || target.startsWith("/dev/tty")
                || target.equals("/dev/console");
        outputDevice = terminal ? target : null;
        showsOutput = terminal;
      } catch (IOException | UnsupportedOperationException noProc) {
        showsOutput = consoleOutput.getAsBoolean();
      }
    }
    return showsOutput;
  }

  /**
   * An exported {@code COLUMNS} first, as POSIX says, else the terminal's own size: bash sets
   * {@code COLUMNS} but does not export it.
   */
  @Override
  public int width() {
    if (width < 0) {
      width = columns().orElseGet(this::measure);
    }
    return width;
  }

  private Optional<Integer> columns() {
    try {
      String columns = environment.get("COLUMNS");
      int value = columns == null ? 0 : Integer.parseInt(columns.strip());
      return value > 0 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code stty size} on the terminal standard output shows, else on the controlling one. */
  private int measure() {
    File device = showsOutput() && outputDevice != null ? new File(outputDevice) : TTY;
    if (device == TTY && !interactive()) {
      return 0;
    }
    return stty(device, "size")
        .map(size -> size.split("\\s+"))
        .filter(rowsAndColumns -> rowsAndColumns.length == 2)
        .map(rowsAndColumns -> parse(rowsAndColumns[1]))
        .orElse(0);
  }

  private static int parse(String number) {
    try {
      return Math.max(0, Integer.parseInt(number));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public Optional<String> readLine(String prompt) {
    Tty terminal = tty();
    if (terminal == null) {
      return Optional.empty();
    }
    write(terminal, prompt);
    char[] line = read(terminal);
    if (line == null) {
      // End of input (Ctrl-D) leaves the cursor after the prompt: what follows needs its own line.
      write(terminal, "\n");
      return Optional.empty();
    }
    return Optional.of(new String(line));
  }

  /**
   * Turns echo off with {@code stty} (Java cannot, on a terminal that is not standard input and
   * output), and restores the terminal's settings afterwards, or at exit if Ctrl-C ends the run.
   * Never asks when echo cannot be turned off: a password must not show on the screen.
   */
  @Override
  public Optional<char[]> readPassword(String prompt) {
    Tty terminal = tty();
    if (terminal == null) {
      return Optional.empty();
    }
    Optional<String> saved = stty(TTY, "-g");
    if (saved.isEmpty()) {
      return Optional.empty();
    }
    Thread restore = new Thread(() -> stty(TTY, saved.get()));
    Runtime.getRuntime().addShutdownHook(restore);
    try {
      if (stty(TTY, "-echo").isEmpty()) {
        return Optional.empty();
      }
      write(terminal, prompt);
      char[] password = read(terminal);
      // Echo was off: the Enter did not move to a new line, nor did Ctrl-D.
      write(terminal, "\n");
      return Optional.ofNullable(password);
    } finally {
      stty(TTY, saved.get());
      try {
        Runtime.getRuntime().removeShutdownHook(restore);
      } catch (IllegalStateException exiting) {
        // The hook runs anyway.
      }
    }
  }

  /** The controlling terminal, opened on first use; null when the process has none. */
  private Tty tty() {
    if (!triedToOpen) {
      triedToOpen = true;
      try {
        FileInputStream in = new FileInputStream(TTY);
        try {
          tty = new Tty(in, new FileOutputStream(TTY));
        } catch (IOException e) {
          in.close();
          throw e;
        }
      } catch (IOException noControllingTerminal) {
        // ENXIO: cron, setsid, a service; or no /dev/tty at all.
        tty = null;
      }
    }
    return tty;
  }

  private void write(Tty terminal, String text) {
    try {
      terminal.out().write(text.getBytes(charset));
      terminal.out().flush();
    } catch (IOException e) {
      // A terminal that cannot be written to is gone: the read that follows ends the question.
    }
  }

  /**
   * One line, without its line break; null at end of input with nothing typed. Byte by byte, so
   * nothing after the line is read ahead, and into arrays that are wiped, as a password is.
   */
  private char[] read(Tty terminal) {
    byte[] line = new byte[64];
    int length = 0;
    boolean ended = false;
    try {
      int b;
      while ((b = terminal.in().read()) != '\n') {
        if (b < 0) {
          ended = true;
          break;
        }
        if (length == line.length) {
          byte[] longer = Arrays.copyOf(line, length * 2);
          Arrays.fill(line, (byte) 0);
          line = longer;
        }
        line[length++] = (byte) b;
      }
    } catch (IOException e) {
      ended = true;
    }
    try {
      if (ended && length == 0) {
        return null;
      }
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      CharBuffer decoded = charset.decode(ByteBuffer.wrap(line, 0, length));
      char[] chars = Arrays.copyOfRange(decoded.array(), decoded.position(), decoded.limit());
      Arrays.fill(decoded.array(), '\0');
      return chars;
    } finally {
      Arrays.fill(line, (byte) 0);
    }
  }

  private Optional<String> stty(File device, String... arguments) {
    return Stty.run(device, charset, arguments);
  }
}
