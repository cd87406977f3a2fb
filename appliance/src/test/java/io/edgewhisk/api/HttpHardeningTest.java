package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's HTTP edge against clients that do not play by the rules, over real sockets: malformed
 * URLs and requests, conflicting lengths, unsupported methods and content types, and what numbers,
 * code and secrets become.
 */
class HttpHardeningTest {
  private static FakeAppliance appliance;
  private static WhiskClient guest;
  private static String auth;

  @BeforeAll
  static void start() throws Exception {
    appliance = new FakeAppliance();
    guest = new WhiskClient(appliance.port(), appliance.guestKey());
    auth = "Basic " + Base64.getEncoder().encodeToString(appliance.guestKey().getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    appliance.close();
  }

  private RawHttp.Answer raw(String request) throws Exception {
    try (RawHttp http = new RawHttp(appliance.port())) {
      return http.write(request).read(Duration.ofSeconds(5));
    }
  }

  // --- item 10: a client's mistake is a 400, never a 500 ---

  @Test
  void invalidPercentEncodingAnywhereInTheUrlIs400() throws Exception {
    for (String path : new String[] {"/%zz", "/api/v1/namespaces/_/actions/a%", "/api/v1/namespaces/_/actions/a?code=%zz",
        "/api/v1/web/guest/default/echo.json/%e9"}) {
      RawHttp.Answer a = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth + "\r\n\r\n");
      assertEquals(400, a.status(), path + " -> " + a);
      assertTrue(a.text().contains("\"error\":\"The request URL has an invalid percent-encoding.\""), a::toString);
    }
  }

  @Test
  void tooLargeHeadersAre431InOurShape() throws Exception {
    RawHttp.Answer a = raw("GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
    assertEquals(431, a.status(), a::toString);
    assertTrue(a.text().contains("\"error\":\"The request's headers are too large.\""), a::toString);
  }

  @Test
  void http11WithoutHostIs400() throws Exception {
    RawHttp.Answer a = raw("GET /ping HTTP/1.1\r\n\r\n");
    assertEquals(400, a.status(), a::toString);
    assertTrue(a.text().contains("no Host header"), a::toString);
    assertTrue(a.closed());
  }

  @Test
  void clientMistakesAndAbortedUploadsLogNoError() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = new ch.qos.logback.core.read.ListAppender<>();
    events.start();
    root.addAppender(events);
    try {
      raw("GET /ping HTTP/1.1\r\n\r\n");
      raw("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
      try (RawHttp aborted = new RawHttp(appliance.port())) {
        aborted.write("PUT /api/v1/namespaces/_/triggers/aborted HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
            + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"parameters\":[");
        Thread.sleep(200);
      }
      Thread.sleep(500);
      assertEquals(200, guest.get("/ping").status());
    } finally {
      root.detachAppender(events);
    }
    assertEquals(java.util.List.of(), events.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList());
  }

  // --- item 13: Content-Length with Transfer-Encoding ---

  @Test
  void contentLengthWithChunkedIsRefusedAndNothingAfterItIsServed() throws Exception {
    String smuggled = "GET /api/v1/namespaces/_/actions HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth + "\r\n\r\n";
    RawHttp.Answer a = raw("PUT /api/v1/namespaces/_/triggers/smuggle HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
        + "\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "2\r\n{}\r\n0\r\n\r\n" + smuggled);
    assertEquals(400, a.status(), a::toString);
    assertTrue(a.text().contains("The request has both Content-Length and Transfer-Encoding."), a::toString);
    assertEquals(1, a.responses(), "the bytes after the body are not a second request: " + a);
    assertTrue(a.closed(), "the connection is closed");
    assertEquals(404, guest.get("/api/v1/namespaces/_/triggers/smuggle").status(), "the request was not served");
  }

  // --- item 15: methods ---

  @Test
  void anUnsupportedMethodOnAnExistingRouteIs405WithAllow() {
    WhiskClient.Reply r = guest.send("PATCH", "/api/v1/namespaces/_/actions/anything", null);
    assertEquals(405, r.status(), r::toString);
    assertEquals("DELETE, GET, HEAD, POST, PUT", r.header("Allow"));
    assertEquals("HTTP method not allowed, supported methods: DELETE, GET, HEAD, POST, PUT", r.json().getString("error"));
    WhiskClient.Reply list = guest.send("DELETE", "/api/v1/namespaces/_/actions", null);
    assertEquals(405, list.status(), list::toString);
    assertEquals("GET, HEAD", list.header("Allow"));
    assertEquals(404, guest.send("PATCH", "/api/v1/nothing/here", null).status());
  }

  @Test
  void headIsAnsweredLikeGetWithoutABody() throws Exception {
    assertEquals(200, guest.put("/api/v1/namespaces/_/triggers/headed", new JsonObject()).status());
    RawHttp.Answer a = raw("HEAD /api/v1/namespaces/_/triggers/headed HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
        + "\r\nConnection: close\r\n\r\n");
    assertEquals(200, a.status(), a::toString);
    assertTrue(a.text().endsWith("\r\n\r\n"), "no body: " + a);
    assertTrue(a.text().toLowerCase().contains("content-type: application/json"), a::toString);
    assertEquals(404, raw("HEAD /api/v1/namespaces/_/triggers/none HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
        + "\r\nConnection: close\r\n\r\n").status());
  }

  // --- item 14: JSON only, strictly ---

  @Test
  void aBodyThatIsNotDeclaredJsonIs415() throws Exception {
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
      RawHttp.Answer a = raw("PUT /api/v1/namespaces/_/triggers/typed HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
          + (type == null ? "" : "\r\nContent-Type: " + type) + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
      assertEquals(415, a.status(), type + " -> " + a);
      assertTrue(a.text().contains("Expected:\\napplication/json"), a::toString);
    }
    RawHttp.Answer ok = raw("PUT /api/v1/namespaces/_/triggers/typed HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
        + "\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    assertEquals(200, ok.status(), ok::toString);
    RawHttp.Answer empty = raw("POST /api/v1/namespaces/_/triggers/typed HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertTrue(empty.status() != 415, "an empty body needs no content type: " + empty);
  }

  @Test
  void jsonCommentsAreRefusedInOurOwnWords() {
    WhiskClient.Reply r = guest.put("/api/v1/namespaces/_/triggers/commented", "{/* no */ \"parameters\": []}");
    assertEquals(400, r.status(), r::toString);
    assertEquals("The request content was malformed: not valid JSON at line 1, column 2.", r.json().getString("error"));
  }

  @Test
  void expectContinueGetsTheRefusalBeforeTheBodyIsSent() throws Exception {
    try (RawHttp http = new RawHttp(appliance.port())) {
      http.write("PUT /api/v1/namespaces/_/triggers/expected HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
          + "\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\nExpect: 100-continue\r\n\r\n");
      RawHttp.Answer a = http.read(Duration.ofSeconds(2));
      assertEquals(413, a.status(), a::toString);
      assertFalse(a.text().contains("100 Continue"), a::toString);
    }
    try (RawHttp http = new RawHttp(appliance.port())) {
      http.write("PUT /api/v1/namespaces/_/triggers/expected HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
          + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
      RawHttp.Answer cont = http.read(Duration.ofSeconds(2));
      assertTrue(cont.text().startsWith("HTTP/1.1 100 Continue"), cont::toString);
      RawHttp.Answer done = http.write("{}").read(Duration.ofSeconds(2));
      assertEquals(200, done.status(), done::toString);
    }
  }

  // --- items 8 and 16: code and numbers ---

  @Test
  void numbersStayExactInParametersAndPayloads() {
    String body = "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"x\"},\"parameters\":["
        + "{\"key\":\"huge\",\"value\":1e400},{\"key\":\"long\",\"value\":123456789012345678901234567890},"
        + "{\"key\":\"tenth\",\"value\":0.1}]}";
    WhiskClient.Reply put = guest.put("/api/v1/namespaces/_/actions/exact", body);
    assertEquals(200, put.status(), put::toString);
    String stored = guest.get("/api/v1/namespaces/_/actions/exact").body();
    assertTrue(stored.contains("{\"key\":\"huge\",\"value\":1E+400}"), stored);
    assertTrue(stored.contains("{\"key\":\"long\",\"value\":123456789012345678901234567890}"), stored);
    assertTrue(stored.contains("{\"key\":\"tenth\",\"value\":0.1}"), stored);
    assertFalse(stored.contains("Infinity"), stored);
    JsonArray params = guest.get("/api/v1/namespaces/_/actions/exact").json().getJsonArray("parameters");
    assertEquals(new BigDecimal("1e400"), params.getJsonObject(0).getValue("value"));
    assertEquals(new BigInteger("123456789012345678901234567890"), params.getJsonObject(1).getValue("value"));
  }

  @Test
  void binaryCodeThatIsNotBase64Is400() {
    for (String code : new String[] {"not base64!!", "UEsDBA==garbage", "@@@@"}) {
      WhiskClient.Reply r = guest.put("/api/v1/namespaces/_/actions/bin", new JsonObject()
          .put("exec", new JsonObject().put("kind", "nodejs:default").put("code", code).put("binary", true)));
      assertEquals(400, r.status(), code + " -> " + r);
      assertTrue(r.json().getString("error").contains("not base64"), r::toString);
    }
    String zip = Base64.getMimeEncoder().encodeToString(new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    WhiskClient.Reply ok = guest.put("/api/v1/namespaces/_/actions/bin", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default").put("code", zip).put("binary", true)));
    assertEquals(200, ok.status(), ok::toString);
  }

  @Test
  void noErrorQuotesTheJsonLibrary() {
    for (String body : new String[] {"{\"a\":", "{\"a\":1}}", "[1,2", "{\"a\":NaN}", "{'a':1}", "\"\\u12\""}) {
      WhiskClient.Reply r = guest.put("/api/v1/namespaces/_/triggers/broken", body);
      assertEquals(400, r.status(), body + " -> " + r);
      String error = r.json().getString("error");
      assertTrue(error.startsWith("The request content was malformed"), error);
      for (String internal : new String[] {"jackson", "Jackson", "StreamReadConstraints", "com.fasterxml", "Unexpected character", "Failed to decode"}) {
        assertFalse(error.contains(internal), body + " -> " + error);
      }
    }
  }

  @Test
  void aBodyWithTooManyJsonValuesIs413BeforeItIsBuilt() {
    StringBuilder b = new StringBuilder("{\"parameters\":[");
    for (int i = 0; i < 70_000; i++) {
      b.append(i == 0 ? "" : ",").append("{\"key\":\"a\",\"value\":1}");
    }
    b.append("]}");
    WhiskClient.Reply r = guest.put("/api/v1/namespaces/_/triggers/many", b.toString());
    assertEquals(413, r.status(), r::toString);
    assertEquals("Request larger than allowed: more than 250000 JSON values.", r.json().getString("error"));
  }

  @Test
  void bodiesWithoutCodeHaveTheSmallerLimits() {
    String big = "{\"parameters\":[{\"key\":\"a\",\"value\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}]}";
    WhiskClient.Reply trigger = guest.put("/api/v1/namespaces/_/triggers/big", big);
    assertEquals(413, trigger.status(), trigger::toString);
    assertEquals("Request larger than allowed: " + big.length() + " > 3145728 bytes.", trigger.json().getString("error"));
    String payload = "{\"a\":\"" + "x".repeat(1024 * 1024) + "\"}";
    WhiskClient.Reply invoke = guest.post("/api/v1/namespaces/_/actions/whatever", payload);
    assertEquals(413, invoke.status(), invoke::toString);
    assertEquals("Request larger than allowed: " + payload.length() + " > 1048576 bytes.", invoke.json().getString("error"));
  }
}
