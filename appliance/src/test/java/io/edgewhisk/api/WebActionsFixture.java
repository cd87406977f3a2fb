package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The web action tests' appliance: the API on in-memory stores on a free port, a scripted activator
 * standing in for the invoker, the web actions the tests call, and a raw HTTP client (bytes, any
 * method, any header).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebActionsFixture {
  protected final WebFakeActivator activator = new WebFakeActivator();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  protected FakeAppliance appliance;
  private WhiskClient guest;

  @BeforeAll
  void start() throws Exception {
    appliance = new FakeAppliance(activator);
    guest = new WhiskClient(appliance.port(), appliance.guestKey());
    action("echo", web());
    action("hidden", new JsonArray());
    action("unexported", new JsonArray().add(kv("web-export", false)));
    action("raw", web().add(kv("raw-http", true)));
    action("locked", web().add(kv("final", true)), new JsonArray().add(kv("name", "Jane")).add(kv("unset", null)));
    action("open", web(), new JsonArray().add(kv("name", "Jane")));
    action("members", web().add(kv("require-whisk-auth", true)));
    action("secret", web().add(kv("require-whisk-auth", "s3cr3t")));
    action("numbered", web().add(kv("require-whisk-auth", 1234)));
    action("custom", web().add(kv("web-custom-options", true)));
    ok(guest.put("/api/v1/namespaces/guest/packages/shop", new JsonObject()));
    action("shop/cart", web());
    ok(guest.put("/api/v1/namespaces/guest/packages/mall", new JsonObject()
        .put("binding", new JsonObject().put("namespace", "guest").put("name", "shop"))));
  }

  @AfterAll
  void stop() {
    if (appliance != null) {
      appliance.close();
    }
  }

  @BeforeEach
  void reset() {
    activator.clear();
    activator.succeed(new JsonObject().put("greeting", "hello"));
  }

  protected record Reply(int status, java.net.http.HttpHeaders headers, byte[] bytes) {
    String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    JsonObject json() {
      return new JsonObject(body());
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + headers.map() + " " + body();
    }
  }

  protected static void assertError(Reply r, int status) {
    assertError(r, status, "");
  }

  protected static void assertError(Reply r, int status, String message) {
    assertEquals(status, r.status(), r::toString);
    JsonObject body = r.json();
    assertTrue(body.getString("error").contains(message), r::toString);
    assertEquals(r.header("X-Request-ID"), body.getString("code"), r::toString);
  }

  protected Reply send(String method, String path, String contentType, String body, String... headers) {
    return sendBytes(method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
  }

  protected Reply sendAs(String authKey, String path) {
    return send("GET", path, null, null, "Authorization",
        "Basic " + Base64.getEncoder().encodeToString(authKey.getBytes(StandardCharsets.UTF_8)));
  }

  protected Reply sendBytes(String method, String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appliance.port() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.headers(), r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void action(String name, JsonArray annotations) {
    action(name, annotations, new JsonArray());
  }

  private void action(String name, JsonArray annotations, JsonArray parameters) {
    ok(guest.put("/api/v1/namespaces/guest/actions/" + name, new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default").put("code", "function main(p) { return p; }"))
        .put("annotations", annotations)
        .put("parameters", parameters)));
  }

  private static JsonArray web() {
    return new JsonArray().add(kv("web-export", true));
  }

  private static JsonObject kv(String key, Object value) {
    return new JsonObject().put("key", key).put("value", value);
  }

  private static void ok(WhiskClient.Reply r) {
    assertEquals(200, r.status(), r::toString);
  }
}
