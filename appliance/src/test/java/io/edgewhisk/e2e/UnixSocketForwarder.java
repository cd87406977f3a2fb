package io.edgewhisk.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix socket of a test's own that forwards every connection to another one (Podman's): {@link #stop()}
 * removes the socket and cuts every connection, as if Podman's socket went away, without touching the
 * machine's shared Podman service; {@link #start()} brings it back.
 */
final class UnixSocketForwarder implements AutoCloseable {
  private final Path path;
  private final Path target;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocketChannel server;

  UnixSocketForwarder(Path path, Path target) {
    this.path = path;
    this.target = target;
  }

  synchronized void start() throws IOException {
    Files.deleteIfExists(path);
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(path));
    server = s;
    Thread accept = new Thread(() -> accept(s), "forwarder-accept");
    accept.setDaemon(true);
    accept.start();
  }

  private void accept(ServerSocketChannel s) {
    while (s.isOpen()) {
      try {
        SocketChannel client = s.accept();
        SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return; // closed by stop()
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread t = new Thread(() -> {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      try {
        while (from.read(buf) >= 0) {
          buf.flip();
          while (buf.hasRemaining()) {
            to.write(buf);
          }
          buf.clear();
        }
        to.shutdownOutput();
      } catch (IOException e) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "forwarder-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Removes the socket file and cuts every connection through it. */
  synchronized void stop() throws IOException {
    ServerSocketChannel s = server;
    if (s != null) {
      s.close();
      server = null;
    }
    open.forEach(UnixSocketForwarder::closeQuietly);
    open.clear();
    Files.deleteIfExists(path);
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
