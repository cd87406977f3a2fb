package io.edgewhisk.mqtt.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An MQTT 3.1.1 load generator on plain blocking sockets with hand-written framing, light enough that the
 * broker, not the client, is what is measured: N publishers and M subscribers on one topic, at a QoS and
 * payload size, for a duration, flat out or at a target rate. Reports messages delivered per second and
 * latency percentiles (the send time travels in the first 8 bytes of each payload; one JVM, one clock).
 */
public final class LoadGenerator {
  /** One run's settings; {@code rate} is messages per second over all publishers, 0 for flat out. */
  public record Run(String host, int port, int publishers, int subscribers, int qos, int payloadSize, double seconds,
                    long rate) {}

  /** What a run measured. */
  public record Result(double deliveredPerSecond, double p50Millis, double p99Millis, long delivered) {}

  private static final int WINDOW = 256;

  private LoadGenerator() {}

  public static Result run(Run run) throws Exception {
    String topic = "bench/" + UUID.randomUUID().toString().substring(0, 8);
    LongAdder delivered = new LongAdder();
    long[] latencies = new long[8_000_000];
    AtomicLong latencyCount = new AtomicLong();
    List<Socket> sockets = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    try {
      for (int i = 0; i < run.subscribers(); i++) {
        Socket s = connect(run, sockets);
        subscribe(s, topic, run.qos());
        Thread t = new Thread(() -> consume(s, delivered, latencies, latencyCount), "bench-sub-" + i);
        t.setDaemon(true);
        t.start();
        readers.add(t);
      }
      List<Socket> pubs = new ArrayList<>();
      for (int i = 0; i < run.publishers(); i++) {
        pubs.add(connect(run, sockets));
      }
      long start = System.nanoTime();
      long end = start + (long) (run.seconds() * 1e9);
      List<Thread> threads = new ArrayList<>();
      for (Socket p : pubs) {
        Thread t = new Thread(() -> produce(p, topic, run, start, end), "bench-pub");
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      long countAtEnd = delivered.sum();
      double secs = (System.nanoTime() - start) / 1e9;
      int n = (int) Math.min(latencyCount.get(), latencies.length);
      long[] sorted = Arrays.copyOf(latencies, n);
      Arrays.sort(sorted);
      return new Result(countAtEnd / secs, n == 0 ? 0 : sorted[n / 2] / 1e6,
          n == 0 ? 0 : sorted[(int) (n * 0.99)] / 1e6, countAtEnd);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static Socket connect(Run run, List<Socket> sockets) throws IOException {
    Socket s = new Socket(run.host(), run.port());
    s.setTcpNoDelay(true);
    sockets.add(s);
    byte[] id = ("b" + UUID.randomUUID().toString().substring(0, 12)).getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(12 + id.length);
    body.putShort((short) 4).put("MQTT".getBytes(StandardCharsets.US_ASCII)).put((byte) 4).put((byte) 0x02)
        .putShort((short) 60).putShort((short) id.length).put(id);
    write(s.getOutputStream(), 0x10, body.array());
    byte[] ack = new DataInputStream(s.getInputStream()).readNBytes(4);
    if (ack.length != 4 || ack[0] != 0x20 || ack[3] != 0) {
      throw new IOException("CONNECT refused: " + Arrays.toString(ack));
    }
    return s;
  }

  private static void subscribe(Socket s, String topic, int qos) throws IOException {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(5 + t.length);
    body.putShort((short) 1).putShort((short) t.length).put(t).put((byte) qos);
    write(s.getOutputStream(), 0x82, body.array());
    byte[] ack = new DataInputStream(s.getInputStream()).readNBytes(5);
    if (ack.length != 5 || (ack[0] & 0xFF) != 0x90) {
      throw new IOException("SUBSCRIBE failed");
    }
  }

  private static void write(OutputStream out, int header, byte[] body) throws IOException {
    out.write(header);
    writeLength(out, body.length);
    out.write(body);
    out.flush();
  }

  private static void writeLength(OutputStream out, int length) throws IOException {
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
  }

  private static void produce(Socket s, String topic, Run run, long start, long end) {
    try {
      byte[] t = topic.getBytes(StandardCharsets.UTF_8);
      byte[] payload = new byte[Math.max(8, run.payloadSize())];
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      Semaphore window = new Semaphore(WINDOW);
      if (run.qos() > 0) {
        Thread acks = new Thread(() -> readAcks(s, window), "bench-acks");
        acks.setDaemon(true);
        acks.start();
      }
      double rate = run.rate() / (double) run.publishers();
      long sent = 0;
      int id = 0;
      while (System.nanoTime() < end) {
        if (rate > 0) {
          long due = start + (long) (sent / rate * 1e9);
          long now = System.nanoTime();
          if (due > now) {
            out.flush();
            LockSupport.parkNanos(due - now);
            continue;
          }
        }
        if (run.qos() > 0 && !window.tryAcquire()) {
          out.flush();
          if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            continue;
          }
        }
        ByteBuffer.wrap(payload).putLong(System.nanoTime());
        out.write(0x30 | (run.qos() << 1));
        writeLength(out, 2 + t.length + (run.qos() > 0 ? 2 : 0) + payload.length);
        out.write(t.length >> 8);
        out.write(t.length);
        out.write(t);
        if (run.qos() > 0) {
          id = id == 65535 ? 1 : id + 1;
          out.write(id >> 8);
          out.write(id);
        }
        out.write(payload);
        sent++;
        if (rate > 0 || (sent & 63) == 0) {
          out.flush();
        }
      }
      out.flush();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void readAcks(Socket s, Semaphore window) {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      while (true) {
        int header = in.readUnsignedByte();
        int length = readLength(in);
        in.skipNBytes(length);
        if ((header & 0xF0) == 0x40) {
          window.release();
        }
      }
    } catch (IOException e) {
      // closed at the end of the run
    }
  }

  private static void consume(Socket s, LongAdder delivered, long[] latencies, AtomicLong count) {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 14);
      byte[] buf = new byte[1 << 20];
      while (true) {
        int header = in.readUnsignedByte();
        int length = readLength(in);
        in.readFully(buf, 0, length);
        if ((header & 0xF0) != 0x30) {
          continue;
        }
        int qos = (header >> 1) & 3;
        int topicLength = ((buf[0] & 0xFF) << 8) | (buf[1] & 0xFF);
        int at = 2 + topicLength;
        if (qos > 0) {
          out.write(new byte[] {0x40, 2, buf[at], buf[at + 1]});
          at += 2;
        }
        long sent = ByteBuffer.wrap(buf, at, 8).getLong();
        delivered.increment();
        long n = count.getAndIncrement();
        if (n < latencies.length) {
          latencies[(int) n] = System.nanoTime() - sent;
        }
        if (in.available() == 0) {
          out.flush();
        }
      }
    } catch (IOException e) {
      // closed at the end of the run
    }
  }

  private static int readLength(DataInputStream in) throws IOException {
    int value = 0;
    int shift = 0;
    int b;
    do {
      b = in.readUnsignedByte();
      value |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return value;
  }
}
