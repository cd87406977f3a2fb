package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No client holds a connection for ever: idle connections are closed, requests that arrive too slowly
 * (headers or body, anonymous web requests too) answer 408, and connections over the cap are refused.
 * Timeouts are short here (1 s idle, 1.5 s per request); the waits give them generous margins.
 */
class ConnectionLimitsTest {
  private static final Duration IDLE = Duration.ofMillis(1000);
  private static final Duration REQUEST = Duration.ofMillis(1500);
  private static FakeAppliance appliance;
  private static String auth;

  @BeforeAll
  static void start() throws Exception {
    appliance = new FakeAppliance(new WebFakeActivator(),
        "edgewhisk.api { idle-timeout = 1000ms, request-timeout = 1500ms, max-connections = 8 }");
    auth = "Basic " + Base64.getEncoder().encodeToString(appliance.guestKey().getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    appliance.close();
  }

  @Test
  void anIdleConnectionIsClosedSilently() throws Exception {
    try (RawHttp http = new RawHttp(appliance.port())) {
      RawHttp.Answer a = http.read(IDLE.plusSeconds(4));
      assertTrue(a.closed(), "closed after the idle timeout: " + a);
      assertEquals("", a.text(), "nothing is sent to a connection that asked nothing");
    }
  }

  @Test
  void aConnectionIsIdleAgainAfterEachAnswer() throws Exception {
    try (RawHttp http = new RawHttp(appliance.port())) {
      http.write("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Answer first = http.read(Duration.ofMillis(500));
      assertEquals(200, first.status(), first::toString);
      assertFalse(first.closed());
      RawHttp.Answer later = http.read(IDLE.plusSeconds(4));
      assertTrue(later.closed(), "closed after being idle: " + later);
    }
  }

  @Test
  void slowHeadersAnswer408() throws Exception {
    try (RawHttp http = new RawHttp(appliance.port())) {
      long start = System.nanoTime();
      http.write("GET /ping HTTP/1.1\r\n");
      // one header line every 300 ms: never idle, never done; what the server answers is gathered
      // across the reads, as the 408 and the end of the connection may fall in different ones
      StringBuilder got = new StringBuilder();
      boolean closed = false;
      for (int i = 0; i < 20 && !closed; i++) {
        try {
          http.write("X-Slow-" + i + ": y\r\n");
        } catch (java.io.IOException e) {
          break;
        }
        RawHttp.Answer part = http.read(Duration.ofMillis(300));
        got.append(part.text());
        closed = part.closed();
      }
      if (!closed) {
        RawHttp.Answer part = http.read(Duration.ofSeconds(3));
        got.append(part.text());
        closed = part.closed();
      }
      RawHttp.Answer a = new RawHttp.Answer(got.toString(), closed);
      long took = (System.nanoTime() - start) / 1_000_000;
      assertTrue(a.closed(), a::toString);
      assertEquals(408, a.status(), a::toString);
      assertTrue(a.text().contains("\"error\":\"The request was not received in time.\""), a::toString);
      assertTrue(took >= REQUEST.toMillis() - 100 && took < REQUEST.toMillis() + 3000, "took " + took + " ms");
    }
  }

  @Test
  void aStalledBodyAnswers408() throws Exception {
    try (RawHttp http = new RawHttp(appliance.port())) {
      http.write("PUT /api/v1/namespaces/_/triggers/stalled HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"param");
      RawHttp.Answer a = http.read(REQUEST.plusSeconds(4));
      assertEquals(408, a.status(), a::toString);
      assertTrue(a.closed(), a::toString);
    }
  }

  @Test
  void aStalledAnonymousWebRequestAnswers408() throws Exception {
    try (RawHttp http = new RawHttp(appliance.port())) {
      http.write("POST /api/v1/web/guest/default/echo.json HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
      RawHttp.Answer a = http.read(REQUEST.plusSeconds(4));
      assertEquals(408, a.status(), a::toString);
      assertTrue(a.closed(), a::toString);
    }
  }

  @Test
  void connectionsOverTheCapAreRefusedAndTheServerStillAnswers() throws Exception {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        held.add(new RawHttp(appliance.port()));
      }
      Thread.sleep(200);
      try (RawHttp extra = new RawHttp(appliance.port())) {
        RawHttp.Answer a = extra.read(Duration.ofSeconds(3));
        assertEquals(503, a.status(), a::toString);
        assertTrue(a.text().contains("Too many connections"), a::toString);
        assertTrue(a.closed());
      }
    } finally {
      for (RawHttp h : held) {
        h.close();
      }
    }
    Thread.sleep(300);
    try (RawHttp after = new RawHttp(appliance.port())) {
      RawHttp.Answer a = after.write("GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read(Duration.ofSeconds(3));
      assertEquals(200, a.status(), "once they are closed, connections are taken again: " + a);
    }
  }
}
