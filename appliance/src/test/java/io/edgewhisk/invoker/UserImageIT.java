package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.KeyValues;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A blackbox image a user built on the device, with a server of their own that speaks the action protocol
 * (and prints no end-of-activation sentinels), runs unchanged.
 */
class UserImageIT {
  private static final String IMAGE = "localhost/edgewhisk-test/user-action:" + ProcessHandle.current().pid();
  private static final String SERVER = """
      const http = require('http');
      http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => body += c);
        req.on('end', () => {
          const reply = (status, json) => { res.writeHead(status, {'Content-Type': 'application/json'}); res.end(JSON.stringify(json)); };
          if (req.method !== 'POST') return reply(404, {error: 'no'});
          const msg = JSON.parse(body || '{}');
          if (req.url === '/init') return reply(200, {OK: true});
          if (req.url === '/run') {
            console.log('custom server ran ' + msg.activation_id);
            return reply(200, {custom: true, got: msg.value, action: msg.action_name});
          }
          reply(404, {error: 'no route'});
        });
      }).listen(8080);
      """;

  @BeforeAll
  static void build() throws Exception {
    PodmanTesting.buildImage(IMAGE, PodmanTesting.NODEJS, "/mine", Map.of("server.js", SERVER),
        "[\"node\", \"/mine/server.js\"]");
  }

  @AfterAll
  static void removeImage() throws Exception {
    PodmanTesting.podman("rmi", "-f", IMAGE);
  }

  @Test
  void aUsersOwnImageRuns() throws Exception {
    Vertx vertx = InvokerTesting.strictVertx();
    String instance = "user-" + ProcessHandle.current().pid();
    Invoker invoker = await(PodmanInvoker.start(vertx, InvokerTesting.config(instance, Map.of("prewarm", false))),
        Duration.ofSeconds(60));
    try {
      var action = InvokerTesting.action("mine", new Exec.Code("blackbox", null, false, null, IMAGE), ActionLimits.DEFAULT,
          KeyValues.EMPTY, KeyValues.EMPTY);
      Activation a = await(invoker.invoke(InvokerTesting.request(action, new JsonObject().put("q", 42))), Duration.ofSeconds(60));
      assertEquals(0, a.response().statusCode(), a.toJson().encode());
      JsonObject r = (JsonObject) a.response().result();
      assertEquals(true, r.getBoolean("custom"));
      assertEquals(42, r.getJsonObject("got").getInteger("q"));
      assertEquals("/guest/mine", r.getString("action"));
      assertTrue(a.logs().stream().anyMatch(l -> l.endsWith("stdout: custom server ran " + a.activationId())), a.logs().toString());
      Activation b = await(invoker.invoke(InvokerTesting.request(action, new JsonObject().put("q", 43))), Duration.ofSeconds(60));
      assertEquals(43, ((JsonObject) b.response().result()).getJsonObject("got").getInteger("q"));
      assertTrue(b.logs().stream().anyMatch(l -> l.endsWith("stdout: custom server ran " + b.activationId())), b.logs().toString());

      var missing = InvokerTesting.action("missing", new Exec.Code("blackbox", null, false, null, "localhost/no/such:image"),
          ActionLimits.DEFAULT, KeyValues.EMPTY, KeyValues.EMPTY);
      Activation m = await(invoker.invoke(InvokerTesting.request(missing, new JsonObject())), Duration.ofSeconds(60));
      assertEquals(2, m.response().statusCode(), m.toJson().encode());
    } finally {
      await(invoker.close(), Duration.ofSeconds(60));
      await(vertx.close(), Duration.ofSeconds(30));
    }
    assertEquals(List.of(), PodmanTesting.containersOf(instance));
  }
}
