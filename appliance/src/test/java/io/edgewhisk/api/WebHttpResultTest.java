package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.WhiskException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code .http} result rules that need no server to check. */
class WebHttpResultTest {

  @Test
  void statusCodesMayBeWholeNumbersOrTheirStrings() {
    assertEquals(404, render(new JsonObject().put("statusCode", 404)).status());
    assertEquals(404, render(new JsonObject().put("statusCode", 404.0)).status());
    assertEquals(404, render(new JsonObject().put("statusCode", "404")).status());
    for (Object bad : new Object[] {404.5, "4o4", 99, 100, 600, true, new JsonObject()}) {
      WhiskException e = assertThrows(WhiskException.class, () -> render(new JsonObject().put("statusCode", bad)), String.valueOf(bad));
      assertEquals("Response is not valid 'message/http'.", e.getMessage());
    }
    assertThrows(WhiskException.class, () -> render(new JsonObject().putNull("statusCode")));
  }

  @Test
  void headerValuesAreStringsNumbersBooleansOrArraysOfThem() {
    WebReply r = render(new JsonObject().put("headers", new JsonObject()
        .put("A", 1.5).put("B", true).put("C", new JsonArray().add("x").add(2)).put("Content-Length", "999")));
    assertEquals(List.of(Map.entry("A", "1.5"), Map.entry("B", "true"), Map.entry("C", "x"), Map.entry("C", "2")), r.headers(),
        "and the server's own framing headers are not the action's to set");
    assertThrows(WhiskException.class, () -> render(new JsonObject().put("headers", new JsonObject().putNull("A"))));
    assertThrows(WhiskException.class, () -> render(new JsonObject().put("headers",
        new JsonObject().put("A", new JsonArray().add(new JsonArray().add("nested"))))));
    assertThrows(WhiskException.class, () -> render(new JsonObject().put("headers", new JsonObject().put("Bad Name", "x"))));
  }

  @Test
  void anEmptyBodyDropsTheContentType() {
    WebReply r = render(new JsonObject().put("statusCode", 200).put("body", "")
        .put("headers", new JsonObject().put("Content-Type", "text/plain").put("X", "y")));
    assertEquals(200, r.status());
    assertEquals(List.of(Map.entry("X", "y")), r.headers());
    assertEquals(0, r.body().length());
  }

  @Test
  void textKeepsItsCharsetAndGainsUtf8WhenItHasNone() {
    assertEquals("text/plain; charset=ISO-8859-1", contentType(render(body("hi", "text/plain; charset=ISO-8859-1"))));
    assertEquals("text/csv; charset=UTF-8", contentType(render(body("a,b", "text/csv"))));
    assertEquals("application/vnd.api+json", contentType(render(body("{\"a\":1}", "application/vnd.api+json"))));
  }

  @Test
  void base64IsRecognisedAsOpenWhiskDoes() {
    assertTrue(WebContentTypes.looksBase64("eyJhIjoxfQ=="));
    assertTrue(WebContentTypes.looksBase64(" QUJD "));
    assertFalse(WebContentTypes.looksBase64("{\"a\":1}"));
    assertFalse(WebContentTypes.looksBase64("abc"));
    assertFalse(WebContentTypes.looksBase64(""));
    assertFalse(WebContentTypes.looksBase64("ab=c"));
    // long input must not exhaust the stack
    assertTrue(WebContentTypes.looksBase64("QUJD".repeat(400_000)));
  }

  private static JsonObject body(String body, String contentType) {
    return new JsonObject().put("body", body).put("headers", new JsonObject().put("Content-Type", contentType));
  }

  private static String contentType(WebReply r) {
    return r.headers().stream().filter(h -> h.getKey().equals("Content-Type")).findFirst().orElseThrow().getValue();
  }

  private static WebReply render(JsonObject result) {
    return WebHttpResult.render(result);
  }
}
