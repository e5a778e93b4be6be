package dev.pgkill.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the test server that breaks the connection at an exact point of a run:
 * when the client sends the {@code cutAt}-th Parse message whose SQL contains {@code marker}, the
 * proxy drops it and closes both sides, as a network failure or a server crash would. It reads the
 * client's side of the PostgreSQL protocol message by message; the client must not use TLS.
 */
public final class CuttingProxy implements AutoCloseable {
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;

  private final ServerSocket listener;
  private final int serverPort;
  private final String marker;
  private final int cutAt;
  private final AtomicInteger seen = new AtomicInteger();

  public CuttingProxy(int serverPort, String marker, int cutAt) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.serverPort = serverPort;
    this.marker = marker;
    this.cutAt = cutAt;
    Thread acceptor = new Thread(this::accept, "cutting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
        InputStream fromServer = server.getInputStream();
        OutputStream toClient = client.getOutputStream();
        daemon(() -> copy(fromServer, toClient, client, server));
        daemon(() -> forwardClient(client, server));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void daemon(Runnable body) {
    Thread thread = new Thread(body, "cutting-proxy-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  private static void copy(InputStream in, OutputStream out, Socket a, Socket b) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // The other direction closed the sockets: nothing more to copy.
    } finally {
      closeQuietly(a, b);
    }
  }

  private void forwardClient(Socket client, Socket server) {
    try {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = server.getOutputStream();
      boolean startup = true;
      while (true) {
        if (startup) {
          int length = in.readInt();
          byte[] body = in.readNBytes(length - 4);
          int code =
              ((body[0] & 0xff) << 24)
                  | ((body[1] & 0xff) << 16)
                  | ((body[2] & 0xff) << 8)
                  | (body[3] & 0xff);
          startup = code == SSL_REQUEST || code == GSS_REQUEST;
          writeMessage(out, null, length, body);
          continue;
        }
        int type = in.readUnsignedByte();
        int length = in.readInt();
        byte[] body = in.readNBytes(length - 4);
        if (type == 'P'
            && new String(body, StandardCharsets.UTF_8).contains(marker)
            && seen.incrementAndGet() == cutAt) {
          closeQuietly(client, server);
          return;
        }
        writeMessage(out, (byte) type, length, body);
      }
    } catch (IOException e) {
      closeQuietly(client, server);
    }
  }

  private static void writeMessage(OutputStream out, Byte type, int length, byte[] body)
      throws IOException {
    if (type != null) {
      out.write(type);
    }
    out.write(
        new byte[] {
          (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
        });
    out.write(body);
    out.flush();
  }

  private static void closeQuietly(Socket a, Socket b) {
    try {
      a.close();
    } catch (IOException e) {
      // Already closed.
    }
    try {
      b.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
