package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.controller.InvocationOutcome;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Web actions over real HTTP, the answer side: how each extension renders a result, OpenWhisk's errors
 * for wrong shapes and failed activations, and the request bounds.
 */
class WebResultsTest extends WebActionsFixture {

  @Test
  void htmlSvgAndTextTakeTheirField() {
    activator.succeed(new JsonObject().put("html", "<p>hi</p>").put("svg", "<svg/>").put("text", "plain").put("n", 1));
    Reply html = send("GET", "/api/v1/web/guest/default/echo.html", null, null);
    assertEquals(200, html.status(), html::toString);
    assertEquals("text/html; charset=UTF-8", html.header("Content-Type"));
    assertEquals("<p>hi</p>", html.body());
    Reply svg = send("GET", "/api/v1/web/guest/default/echo.svg", null, null);
    assertEquals("image/svg+xml", svg.header("Content-Type"));
    assertEquals("<svg/>", svg.body());
    Reply text = send("GET", "/api/v1/web/guest/default/echo.text", null, null);
    assertEquals("text/plain; charset=UTF-8", text.header("Content-Type"));
    assertEquals("plain", text.body());
    activator.succeed(new JsonObject().put("body", 42).put("text", "ignored"));
    assertEquals("42", send("GET", "/api/v1/web/guest/default/echo.text", null, null).body(), "body comes first");
  }

  @Test
  void wrongShapesAreOpenWhisksErrors() {
    activator.succeed(new JsonObject().put("other", 1));
    assertError(send("GET", "/api/v1/web/guest/default/echo.html", null, null), 400, "Response is not valid 'text/html'.");
    assertError(send("GET", "/api/v1/web/guest/default/echo.svg", null, null), 400, "Response is not valid 'image/svg+xml'.");
    assertError(send("GET", "/api/v1/web/guest/default/echo.text", null, null), 404, "Response does not include requested property.");
    activator.succeed(new JsonObject().put("html", 5));
    assertError(send("GET", "/api/v1/web/guest/default/echo.html", null, null), 400, "Response is not valid 'text/html'.");
    activator.succeed(new JsonObject().put("statusCode", "teapot"));
    assertError(send("GET", "/api/v1/web/guest/default/echo.http", null, null), 400, "Response is not valid 'message/http'.");
    activator.succeed(new JsonObject().put("statusCode", 200).put("headers", "nope"));
    assertError(send("GET", "/api/v1/web/guest/default/echo", null, null), 400, "Response is not valid 'message/http'.");
    activator.succeed(new JsonObject().put("headers", new JsonObject().put("X-Bad", "a\r\nInjected: 1")));
    assertError(send("GET", "/api/v1/web/guest/default/echo", null, null), 400, "Response is not valid 'message/http'.");
    activator.succeed(new JsonObject().put("statusCode", 1000));
    assertError(send("GET", "/api/v1/web/guest/default/echo", null, null), 400, "Response is not valid 'message/http'.");
    activator.succeed(new JsonArray().add(1));
    assertError(send("GET", "/api/v1/web/guest/default/echo", null, null), 400, "Response is not valid 'message/http'.");
    activator.succeed(new JsonObject().put("headers", new JsonObject().put("Content-Type", "image/png")).put("body", "not base64!"));
    assertError(send("GET", "/api/v1/web/guest/default/echo", null, null), 400, "Response type in header did not match generated content type.");
    activator.succeed(new JsonObject().put("headers", new JsonObject().put("Content-Type", "text/plain")).put("body", new JsonObject()));
    assertError(send("GET", "/api/v1/web/guest/default/echo", null, null), 400, "Response type in header did not match generated content type.");
    activator.succeed(new JsonObject().put("headers", new JsonObject().put("Content-Type", "nonsense")).put("body", "x"));
    assertError(send("GET", "/api/v1/web/guest/default/echo", null, null), 400, "Response did not specify a known content-type.");
  }

  @Test
  void httpSetsStatusHeadersAndBody() {
    activator.succeed(new JsonObject().put("statusCode", 201)
        .put("headers", new JsonObject().put("X-Thing", "a").put("Set-Cookie", new JsonArray().add("a=1").add("b=2")).put("X-Num", 7))
        .put("body", "<h1>made</h1>"));
    Reply r = send("GET", "/api/v1/web/guest/default/echo", null, null);
    assertEquals(201, r.status(), r::toString);
    assertEquals("a", r.header("X-Thing"));
    assertEquals("7", r.header("X-Num"));
    assertEquals(List.of("a=1", "b=2"), r.headers().allValues("Set-Cookie"));
    assertEquals("text/html; charset=UTF-8", r.header("Content-Type"), "a string body is HTML unless told otherwise");
    assertEquals("<h1>made</h1>", r.body());
    assertNotNull(r.header("x-openwhisk-activation-id"));
    assertEquals("*", r.header("Access-Control-Allow-Origin"));
  }

  @Test
  void httpDecodesABinaryBody() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, (byte) 0xff};
    activator.succeed(new JsonObject().put("headers", new JsonObject().put("Content-Type", "image/png"))
        .put("body", Base64.getEncoder().encodeToString(png)));
    Reply r = send("GET", "/api/v1/web/guest/default/echo.http", null, null);
    assertEquals(200, r.status(), r::toString);
    assertEquals("image/png", r.header("Content-Type"));
    assertArrayEquals(png, r.bytes());
  }

  @Test
  void httpSendsJsonBodiesAsJson() {
    activator.succeed(new JsonObject().put("body", new JsonObject().put("ok", true)));
    Reply r = send("GET", "/api/v1/web/guest/default/echo", null, null);
    assertEquals(200, r.status(), r::toString);
    assertEquals("application/json", r.header("Content-Type"));
    assertEquals(new JsonObject().put("ok", true), r.json());
    // base64 JSON, as older actions send it, is decoded
    activator.succeed(new JsonObject().put("headers", new JsonObject().put("Content-Type", "application/json"))
        .put("body", Base64.getEncoder().encodeToString("{\"old\":1}".getBytes(StandardCharsets.UTF_8))));
    assertEquals(new JsonObject().put("old", 1), send("GET", "/api/v1/web/guest/default/echo", null, null).json());
  }

  @Test
  void httpWithoutABodyIsNoContentUnlessAStatusIsGiven() {
    activator.succeed(new JsonObject());
    Reply empty = send("GET", "/api/v1/web/guest/default/echo", null, null);
    assertEquals(204, empty.status(), empty::toString);
    assertEquals("", empty.body());
    activator.succeed(new JsonObject().put("statusCode", "302").put("headers", new JsonObject().put("Location", "http://example.org/")));
    Reply redirect = send("GET", "/api/v1/web/guest/default/echo", null, null);
    assertEquals(302, redirect.status(), redirect::toString);
    assertEquals("http://example.org/", redirect.header("Location"));
  }

  @Test
  void headAnswersHeadersOnly() throws Exception {
    activator.succeed(new JsonObject().put("body", "<p>x</p>"));
    // a raw socket, so that what the server sends after the headers shows
    String answer = rawHead("/api/v1/web/guest/default/echo");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-length: 8\r\n"), "the length a GET would have: " + answer);
    assertTrue(answer.endsWith("\r\n\r\n"), "no body: " + answer);
    assertEquals("head", activator.single().payload().getString("__ow_method"));
    String missing = rawHead("/api/v1/web/guest/default/missing");
    assertTrue(missing.startsWith("HTTP/1.1 404") && missing.endsWith("\r\n\r\n"), missing);
  }

  private String rawHead(String path) throws java.io.IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", appliance.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anApplicationErrorAnswersItsErrorField() {
    activator.complete(ActivationResponse.applicationError(new JsonObject()
        .put("error", new JsonObject().put("statusCode", 418).put("body", "teapot"))));
    Reply r = send("GET", "/api/v1/web/guest/default/echo", null, null);
    assertEquals(418, r.status(), r::toString);
    assertEquals("teapot", r.body());
    activator.complete(ActivationResponse.applicationError(new JsonObject().put("error", "went wrong")));
    assertError(send("GET", "/api/v1/web/guest/default/echo.json", null, null), 400, "Response is not valid 'application/json'.");
    assertEquals("went wrong", send("GET", "/api/v1/web/guest/default/echo.text", null, null).body());
  }

  @Test
  void aDeveloperErrorIsOpenWhisks400() {
    activator.complete(ActivationResponse.developerError("The action did not produce a valid JSON response."));
    Reply r = send("GET", "/api/v1/web/guest/default/echo.json", null, null);
    assertError(r, 400, "There was an error processing your request.");
    assertNotNull(r.header("x-openwhisk-activation-id"));
    activator.complete(ActivationResponse.whiskError("boom"));
    assertError(send("GET", "/api/v1/web/guest/default/echo.json", null, null), 400, "There was an error processing your request.");
  }

  @Test
  void aSlowActionAnswers202WithItsId() {
    ActivationId id = ActivationId.random();
    activator.answer(i -> Future.succeededFuture(new InvocationOutcome.Accepted(id)));
    Reply r = send("GET", "/api/v1/web/guest/default/echo.json", null, null);
    assertEquals(202, r.status(), r::toString);
    assertEquals(id.value(), r.header("x-openwhisk-activation-id"));
    assertEquals(id.value(), r.json().getString("activationId"));
    assertEquals("Response not yet ready.", r.json().getString("error"));
  }

  @Test
  void invocationRefusalsPassThrough() {
    activator.answer(i -> Future.failedFuture(WhiskException.tooManyPerMinute(61, 60)));
    assertError(send("GET", "/api/v1/web/guest/default/echo.json", null, null), 429, "Too many requests in the last minute");
  }

  // --- bounds ---

  @Test
  void aBodyOverThePayloadLimitIs413() {
    byte[] big = new byte[1024 * 1024 + 10];
    Reply r = sendBytes("POST", "/api/v1/web/guest/default/echo.json", "application/octet-stream", big);
    assertError(r, 413, "Request larger than allowed: " + big.length + " > 1048576 bytes.");
    assertTrue(activator.invocations().isEmpty());
  }

  @Test
  void unsupportedMethodsAre405() {
    Reply r = send("TRACE", "/api/v1/web/guest/default/echo.json", null, null);
    assertError(r, 405);
  }
}
