package io.edgewhisk.mqtt.it;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** OpenWhisk's REST API of a child appliance, as a test drives it (what `wsk` would send). */
public final class WhiskRest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  public final String key;

  public WhiskRest(int port, String key) {
    this.base = "http://127.0.0.1:" + port + "/api/v1/namespaces/";
    this.key = key;
  }

  public record Reply(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public Reply send(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  public Reply put(String path, JsonObject body) throws Exception {
    return send("PUT", path, body);
  }

  public Reply post(String path, JsonObject body) throws Exception {
    return send("POST", path, body);
  }

  public Reply get(String path) throws Exception {
    return send("GET", path, null);
  }

  /** The Prometheus text of /metrics (unauthenticated, beside /api). */
  public String metrics() throws Exception {
    URI u = URI.create(base).resolve("/metrics");
    return http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
