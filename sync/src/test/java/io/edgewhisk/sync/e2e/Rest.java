package io.edgewhisk.sync.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain HTTP client of the appliance's REST API, as {@code wsk} speaks to it (Basic auth, JSON bodies). */
final class Rest {
  private final HttpClient http;
  private final String base;
  private final String authKey;

  Rest(int port, String authKey) {
    this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
        "http://127.0.0.1:" + port, authKey);
  }

  private Rest(HttpClient http, String base, String authKey) {
    this.http = http;
    this.base = base;
    this.authKey = authKey;
  }

  /** The same appliance with another key. */
  Rest as(String otherKey) {
    return new Rest(http, base, otherKey);
  }

  record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply put(String path, Object body) {
    return send("PUT", path, body.toString());
  }

  Reply post(String path, Object body) {
    return send("POST", path, body == null ? null : body.toString());
  }

  Reply delete(String path) {
    return send("DELETE", path, null);
  }

  Reply send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(authKey.getBytes(StandardCharsets.UTF_8)));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
