package io.edgewhisk.mqtt.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
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
  public record Result(double deliveredPerSecond, double p50Millis, double p99Millis, long delivered, long sent) {}

  private static final int WINDOW = 256;
  /** Threads that drive the publishers' connections. */
  private static final int DRIVERS = 2;
  /** Messages written to one connection before the driver turns to the next. */
  private static final int BURST = 64;

  private LoadGenerator() {}

  /** One run from the command line: HOST PORT PUBLISHERS SUBSCRIBERS QOS PAYLOAD SECONDS [RATE]. */
  public static void main(String[] args) throws Exception {
    Result r = run(new Run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
        Integer.parseInt(args[4]), Integer.parseInt(args[5]), Double.parseDouble(args[6]),
        args.length > 7 ? Long.parseLong(args[7]) : 0));
    System.out.printf("%.0f msg/s, p50 %.2f ms, p99 %.2f ms, %d sent, %d delivered%n", r.deliveredPerSecond(),
        r.p50Millis(), r.p99Millis(), r.sent(), r.delivered());
  }

  public static Result run(Run run) throws Exception {
    String topic = "bench/" + UUID.randomUUID().toString().substring(0, 8);
    LongAdder delivered = new LongAdder();
    LongAdder sent = new LongAdder();
    Flow flow = new Flow(sent, delivered, run.subscribers());
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
      // a few threads drive all publishers' connections in turn: 32 threads spinning flat out would starve
      // the subscribers' reader threads (and, with a broker that reads fast, more so than with a slow one)
      List<Thread> threads = new ArrayList<>();
      int drivers = Math.min(DRIVERS, pubs.size());
      for (int d = 0; d < drivers; d++) {
        List<Socket> mine = new ArrayList<>();
        for (int i = d; i < pubs.size(); i += drivers) {
          mine.add(pubs.get(i));
        }
        Thread t = new Thread(() -> produce(mine, topic, run, start, end, flow), "bench-pub-" + d);
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
          n == 0 ? 0 : sorted[(int) (n * 0.99)] / 1e6, countAtEnd, sent.sum());
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

  static void subscribe(Socket s, String topic, int qos) throws IOException {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(5 + t.length);
    body.putShort((short) 1).putShort((short) t.length).put(t).put((byte) qos);
    write(s.getOutputStream(), 0x82, body.array());
    byte[] ack = new DataInputStream(s.getInputStream()).readNBytes(5);
    if (ack.length != 5 || (ack[0] & 0xFF) != 0x90) {
      throw new IOException("SUBSCRIBE failed");
    }
  }

  static void write(OutputStream out, int header, byte[] body) throws IOException {
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

  /**
   * End-to-end flow control for QoS 0 flat out, which has no acknowledgement to pace publishers by: they stay
   * at most {@link #AHEAD} messages per subscriber ahead of what the subscribers have received. Without it the
   * publishers' threads, never held back by a broker that reads as fast as they write, took the CPU the
   * subscribers' threads needed on a small machine, and the row measured the load generator's scheduling (a
   * broker that read slowly, and so blocked the publishers, looked faster). Messages the broker dropped never
   * arrive: after {@link #STALL_NANOS} without room, the missing ones are written off and the run goes on.
   */
  private static final class Flow {
    static final long AHEAD = 1000;
    static final long STALL_NANOS = 20_000_000;
    final LongAdder sent;
    final LongAdder delivered;
    final int subscribers;
    volatile long writtenOff;
    volatile long stalledSince;

    Flow(LongAdder sent, LongAdder delivered, int subscribers) {
      this.sent = sent;
      this.delivered = delivered;
      this.subscribers = subscribers;
    }

    synchronized boolean tooFarAhead(long now) {
      long ahead = sent.sum() * subscribers - delivered.sum() - writtenOff;
      if (ahead <= AHEAD * subscribers) {
        stalledSince = 0;
        return false;
      }
      if (stalledSince == 0) {
        stalledSince = now;
      } else if (now - stalledSince > STALL_NANOS) {
        writtenOff += ahead;
        stalledSince = 0;
        return false;
      }
      return true;
    }
  }

  /** One publisher connection as a driver thread sees it. */
  private static final class Publisher {
    final OutputStream out;
    final Semaphore window = new Semaphore(WINDOW);
    long sent;
    int id;

    Publisher(Socket s) throws IOException {
      this.out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
    }
  }

  /**
   * Publishes on each of {@code sockets} in turn, up to {@link #BURST} messages each per round, until the end:
   * flat out, or each at its share of the rate; QoS 1 and 2 within a window of unacknowledged messages.
   */
  private static void produce(List<Socket> sockets, String topic, Run run, long start, long end, Flow flow) {
    try {
      byte[] t = topic.getBytes(StandardCharsets.UTF_8);
      // the packet is built once; each message only gets its packet id and send time (one write, little CPU)
      int payloadLength = Math.max(8, run.payloadSize());
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.write(0x30 | (run.qos() << 1));
      writeLength(head, 2 + t.length + (run.qos() > 0 ? 2 : 0) + payloadLength);
      head.write(t.length >> 8);
      head.write(t.length);
      head.write(t);
      int idAt = head.size();
      int payloadAt = idAt + (run.qos() > 0 ? 2 : 0);
      ByteBuffer packet = ByteBuffer.allocate(payloadAt + payloadLength).put(head.toByteArray());
      Thread driver = Thread.currentThread();
      List<Publisher> pubs = new ArrayList<>();
      for (Socket s : sockets) {
        Publisher p = new Publisher(s);
        pubs.add(p);
        if (run.qos() > 0) {
          Thread acks = new Thread(() -> readAcks(s, p.window, driver), "bench-acks");
          acks.setDaemon(true);
          acks.start();
        }
      }
      double rate = run.rate() / (double) run.publishers();
      boolean closedLoop = run.qos() == 0 && rate == 0;
      long now = System.nanoTime();
      while (now < end) {
        if (closedLoop && flow.tooFarAhead(now)) {
          LockSupport.parkNanos(20_000);
          now = System.nanoTime();
          continue;
        }
        long nextDue = Long.MAX_VALUE;
        boolean progressed = false;
        for (Publisher p : pubs) {
          int written = 0;
          while (written < BURST) {
            if (rate > 0) {
              long due = start + (long) (p.sent / rate * 1e9);
              if (due > now) {
                nextDue = Math.min(nextDue, due);
                break;
              }
            }
            if (run.qos() > 0 && !p.window.tryAcquire()) {
              break;
            }
            if (run.qos() > 0) {
              p.id = p.id == 65535 ? 1 : p.id + 1;
              packet.putShort(idAt, (short) p.id);
            }
            packet.putLong(payloadAt, System.nanoTime());
            p.out.write(packet.array());
            p.sent++;
            written++;
          }
          if (written > 0) {
            p.out.flush();
            flow.sent.add(written);
            progressed = true;
          }
        }
        now = System.nanoTime();
        if (!progressed) {
          // nothing due or every window full: sleep until the next message is due or an acknowledgement comes
          LockSupport.parkNanos(Math.min(nextDue == Long.MAX_VALUE ? 50_000_000 : nextDue - now, end - now));
          now = System.nanoTime();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void readAcks(Socket s, Semaphore window, Thread driver) {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      while (true) {
        int header = in.readUnsignedByte();
        int length = readLength(in);
        in.skipNBytes(length);
        if ((header & 0xF0) == 0x40) {
          window.release();
          LockSupport.unpark(driver);
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

  static int readLength(DataInputStream in) throws IOException {
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
