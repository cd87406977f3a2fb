package io.edgewhisk.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 written by hand on a socket, for what no well-behaved client sends: missing headers,
 * conflicting lengths, slow headers, stalled bodies. Reads what the server answers until it closes
 * the connection or {@code wait} passes.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
  }

  RawHttp write(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Everything read until the server closed the connection (closed = true) or {@code wait} ran out. */
  Answer read(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        int n = in.read(buf);
        if (n < 0) {
          return new Answer(got.toString(StandardCharsets.ISO_8859_1), true);
        }
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // still open
    } catch (java.net.SocketException e) {
      return new Answer(got.toString(StandardCharsets.ISO_8859_1), true); // reset: closed by the server
    }
    return new Answer(got.toString(StandardCharsets.ISO_8859_1), false);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  record Answer(String text, boolean closed) {
    int responses() {
      int n = 0;
      for (int i = text.indexOf("HTTP/1.1 "); i >= 0; i = text.indexOf("HTTP/1.1 ", i + 1)) {
        n++;
      }
      return n;
    }

    int status() {
      return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
    }

    @Override
    public String toString() {
      return (closed ? "[closed] " : "[open] ") + text;
    }
  }
}
