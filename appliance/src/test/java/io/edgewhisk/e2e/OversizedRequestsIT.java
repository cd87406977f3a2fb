package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 2 (and 19): the appliance, run with the packaged launcher's JVM flags and default
 * limits, takes many oversized JSON bodies at once (30 MB of small objects, the body that used to kill
 * the JVM; chunked bodies without a length; declared lengths over the limit) and refuses each with
 * 413 (or 503 while the request memory is spent) without building the document; it answers
 * {@code /ping} throughout, stays within its memory bounds, and gives the memory back afterwards.
 */
class OversizedRequestsIT {
  /** What the whole process may hold at its peak: the heap cap (384 MB) is the bulk of it. */
  private static final long PEAK_BOUND_MB = 560;
  /** The README's promise for a gateway under load, and so after it. */
  private static final long SETTLED_BOUND_MB = 200;
  private static final int AT_ONCE = 12;
  private final ChildApplianceRun run = new ChildApplianceRun("oversized-it");
  private ChildAppliance child;
  private String auth;

  @BeforeEach
  void start() throws Exception {
    List<String> flags = new ArrayList<>(LauncherFlags.read());
    flags.add("-Dedgewhisk.invoker.prewarm=false");
    child = run.start(flags, LauncherFlags.environment());
    auth = "Basic " + Base64.getEncoder().encodeToString(
        Files.readString(run.stateDir().resolve("guest.key")).strip().getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws Exception {
    run.finish();
  }

  @Test
  void manyOversizedBodiesAtOnceAreRefusedAndTheApplianceStaysUpWithinItsMemory() throws Exception {
    Thread.sleep(4000); // the appliance's own start-up collection runs 2 s after it is ready
    long idleMb = LauncherFlags.residentMb(child.pid())[0];
    byte[] smallObjects = smallObjects(30 * 1024 * 1024);
    byte[] trigger = ("{\"parameters\":[{\"key\":\"a\",\"value\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);

    Pinger pinger = new Pinger(child.port());
    ExecutorService pool = Executors.newFixedThreadPool(3 * AT_ONCE);
    int valuesRefused = 0;
    try {
      for (int round = 0; round < 2; round++) {
        List<Future<String>> actions = new ArrayList<>();
        List<Future<String>> chunked = new ArrayList<>();
        List<Future<String>> declared = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
          int n = round * AT_ONCE + i;
          actions.add(pool.submit(() -> send("PUT", "/api/v1/namespaces/_/actions/big" + n, smallObjects, true)));
          chunked.add(pool.submit(() -> send("PUT", "/api/v1/namespaces/_/triggers/big" + n, trigger, false)));
          declared.add(pool.submit(() -> send("PUT", "/api/v1/namespaces/_/triggers/declared" + n, trigger, true)));
        }
        for (Future<String> f : actions) {
          String a = refusal(f);
          valuesRefused += a.contains("Request larger than allowed: more than 250000 JSON values.") ? 1 : 0;
        }
        for (Future<String> f : chunked) {
          refusal(f);
        }
        for (Future<String> f : declared) {
          String a = refusal(f);
          assertTrue(a.contains("\"error\":\"Request larger than allowed: " + trigger.length + " > 3145728 bytes.\""),
              "a declared length over the limit is refused before anything is read: " + a);
        }
      }
    } finally {
      pool.shutdownNow();
      pinger.stop();
    }
    assertTrue(child.isAlive(), "the appliance survived:\n" + child.output());
    assertTrue(valuesRefused > 0, "some of the 30 MB bodies were read, and refused for their number of values");
    assertEquals(0, pinger.failures.get(), "/ping answered within 5 s throughout (slowest " + pinger.slowestMs.get() + " ms)");
    assertTrue(pinger.answered.get() > 5, "/ping was asked while the bodies came in");
    long[] after = LauncherFlags.residentMb(child.pid());
    long peakMb = after[1];
    assertTrue(peakMb <= PEAK_BOUND_MB, "peak resident memory " + peakMb + " MB (idle " + idleMb + " MB)");

    // item 19: once the burst is over, the heap it grew is given back
    long settledMb = Long.MAX_VALUE;
    for (int i = 0; i < 30 && settledMb > SETTLED_BOUND_MB; i++) {
      Thread.sleep(1000);
      settledMb = LauncherFlags.residentMb(child.pid())[0];
    }
    System.out.printf("OversizedRequestsIT: resident memory idle %d MB, peak %d MB, settled %d MB%n", idleMb, peakMb, settledMb);
    assertTrue(settledMb <= SETTLED_BOUND_MB, "resident memory after the burst " + settledMb + " MB (idle "
        + idleMb + " MB, peak " + peakMb + " MB)");
    HttpResponse<String> ping = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + child.port() + "/ping")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ping.statusCode());
  }

  /** The answer, which must be a 413 or, while the request memory is spent, a 503. */
  private String refusal(Future<String> answer) throws Exception {
    String a = answer.get(180, TimeUnit.SECONDS);
    if (a.startsWith("HTTP/1.1 413")) {
      assertTrue(a.contains("\"error\":\"Request larger than allowed: "), a);
    } else if (a.startsWith("HTTP/1.1 503")) {
      assertTrue(a.contains("retry later"), a);
    } else {
      fail("expected 413 or 503, got: " + a.substring(0, Math.min(300, a.length())) + "\n" + child.output());
    }
    return a;
  }

  /** {"exec":…,"parameters":[{"key":"a","value":1}, …]} of about {@code size} bytes. */
  private static byte[] smallObjects(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 100);
    out.writeBytes("{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"x\"},\"parameters\":[".getBytes(StandardCharsets.US_ASCII));
    byte[] one = "{\"key\":\"a\",\"value\":1},".getBytes(StandardCharsets.US_ASCII);
    while (out.size() < size) {
      out.writeBytes(one);
    }
    out.writeBytes("{\"key\":\"b\",\"value\":2}]}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /**
   * One request on its own socket, the body written by another thread so that an early answer is
   * read while the body is still going out; chunked when {@code declared} is false. Answers the
   * response's text (or what happened instead).
   */
  private String send(String method, String path, byte[] body, boolean declared) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", child.port()), 5000);
      socket.setSoTimeout(120_000);
      OutputStream out = socket.getOutputStream();
      String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + auth
          + "\r\nContent-Type: application/json\r\n"
          + (declared ? "Content-Length: " + body.length : "Transfer-Encoding: chunked") + "\r\n\r\n";
      Thread writer = new Thread(() -> {
        try {
          out.write(head.getBytes(StandardCharsets.US_ASCII));
          for (int off = 0; off < body.length; off += 65536) {
            int n = Math.min(65536, body.length - off);
            if (!declared) {
              out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(body, off, n);
            if (!declared) {
              out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
          }
          if (!declared) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          }
          out.flush();
        } catch (IOException e) {
          // the server answered and closed before the whole body went out: expected
        }
      });
      writer.start();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          got.write(buf, 0, n);
          String text = got.toString(StandardCharsets.UTF_8);
          int headEnd = text.indexOf("\r\n\r\n");
          if (headEnd > 0 && text.indexOf('}', headEnd) > 0) {
            break;
          }
        }
      } catch (IOException e) {
        if (got.size() == 0) {
          return "no answer: " + e;
        }
      }
      socket.close();
      writer.join(30_000);
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  /** Asks /ping every 200 ms on a fresh connection; counts the answers that took over 5 s or failed. */
  private static final class Pinger {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicLong slowestMs = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Pinger(int port) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      thread = new Thread(() -> {
        while (running.get()) {
          long t = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              failures.incrementAndGet();
            }
            answered.incrementAndGet();
          } catch (Exception e) {
            if (running.get()) {
              failures.incrementAndGet();
            }
          }
          slowestMs.accumulateAndGet((System.nanoTime() - t) / 1_000_000, Math::max);
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
