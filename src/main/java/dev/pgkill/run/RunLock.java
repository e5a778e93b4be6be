package dev.pgkill.run;

import dev.pgkill.text.SafeText;
import dev.pgkill.text.UsageError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An advisory lock on a file, held for the whole run, so that a cron job whose last run is still
 * going (a slow server, a long --wait) does not apply the same rules twice at once. The kernel
 * releases it when the process ends, however it ends: there is no stale lock file to clean up.
 */
public final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock without waiting: empty when another run holds it.
   *
   * @throws UsageError when the lock file cannot be created or opened
   */
  public static Optional<RunLock> tryTake(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | UnsupportedOperationException e) {
      throw new UsageError(
          "cannot open the lock file "
              + SafeText.path(file.toString())
              + ": "
              + why(e)
              + "; give --lock FILE, a file pgkill's OS user may write");
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return Optional.of(new RunLock(channel, lock));
      }
    } catch (OverlappingFileLockException e) {
      // This process already holds it (two runs in one JVM, as tests do): held all the same.
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UsageError(
          "cannot lock "
              + SafeText.path(file.toString())
              + ": "
              + SafeText.oneLine(String.valueOf(e.getMessage())));
    }
    closeQuietly(channel);
    return Optional.empty();
  }

  /** The reason, without the path that the message already names. */
  private static String why(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return SafeText.oneLine(f.getReason());
    }
    return SafeText.oneLine(String.valueOf(e.getMessage()));
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it as well.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing is written to a lock file: a failed close loses nothing.
    }
  }
}
