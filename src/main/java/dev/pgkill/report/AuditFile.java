package dev.pgkill.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * {@code --audit-log FILE}: appended to, one {@code write} per whole line with its newline, so that
 * several pgkill processes appending to the same file (O_APPEND) never interleave within a line.
 * Nothing is buffered in the process: a line is in the operating system as soon as it is written,
 * so a killed pgkill loses none. It is not fsync'ed: a line per signal must not cost a disk flush.
 */
public final class AuditFile implements AuditSink {
  /** Created readable by its group (the DBAs, a log shipper), not by everyone. */
  private static final Set<java.nio.file.attribute.PosixFilePermission> MODE =
      PosixFilePermissions.fromString("rw-r-----");

  private final Path path;
  private FileChannel channel;

  private AuditFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Opens (creating, mode 0640 less the umask) the file to append to; fails if it cannot. */
  public static AuditFile open(Path path) throws IOException {
    return new AuditFile(path, channel(path));
  }

  private static FileChannel channel(Path path) throws IOException {
    return FileChannel.open(
        path,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(MODE));
  }

  @Override
  public synchronized void append(String line) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    // One write for the whole line: a regular file takes it whole unless the disk is full.
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /** logrotate moved the file away: the next line goes to a new file at the same path. */
  @Override
  public synchronized void reopen() throws IOException {
    FileChannel reopened = channel(path);
    channel.close();
    channel = reopened;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }

  @Override
  public String name() {
    return "the audit log " + path;
  }
}
