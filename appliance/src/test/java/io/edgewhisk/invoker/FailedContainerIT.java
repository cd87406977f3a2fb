package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * A container whose activation ended in a developer error is not reused (as OpenWhisk's ContainerProxy
 * does): the image's proxy behaves like OpenWhisk's nodejs runtime, which answers every /run after a failed
 * one with 403 "System not ready, status is stopped.".
 */
class FailedContainerIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String IMAGE = "localhost/edgewhisk-test/stops-after-failure:" + ProcessHandle.current().pid();
  private static final String PROXY = """
      import json, sys
      from http.server import BaseHTTPRequestHandler, HTTPServer
      SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX"
      stopped = False
      class Handler(BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"
          def do_POST(self):
              global stopped
              body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
              if self.path == "/init":
                  return self.reply(200, {"OK": True})
              if stopped:
                  return self.reply(403, {"error": "System not ready, status is stopped."})
              if body.get("value", {}).get("fail"):
                  stopped = True
                  print("failing as asked", flush=True)
                  self.sentinels()
                  return self.reply(502, {"error": "An error has occurred: asked to fail"})
              self.sentinels()
              return self.reply(200, {"ran": True})
          def sentinels(self):
              for s in (sys.stdout, sys.stderr):
                  print(SENTINEL, file=s, flush=True)
          def reply(self, status, obj):
              data = json.dumps(obj).encode()
              self.send_response(status)
              self.send_header("Content-Type", "application/json")
              self.send_header("Content-Length", str(len(data)))
              self.end_headers()
              self.wfile.write(data)
          def do_GET(self):
              self.reply(404, {"error": "no route"})
          def log_message(self, *args):
              pass
      HTTPServer(("", 8080), Handler).serve_forever()
      """;

  @BeforeAll
  static void build() throws Exception {
    PodmanTesting.buildImage(IMAGE, PodmanTesting.SKELETON, "/stopping", Map.of("proxy.py", PROXY),
        "[\"python3\", \"-u\", \"/stopping/proxy.py\"]");
  }

  @AfterAll
  static void removeImage() throws Exception {
    PodmanTesting.podman("rmi", "-f", IMAGE);
  }

  @Test
  void aContainerIsRemovedAfterADeveloperError() throws Exception {
    Vertx vertx = InvokerTesting.strictVertx();
    String instance = "failed-" + ProcessHandle.current().pid();
    PodmanInvoker invoker = (PodmanInvoker) await(PodmanInvoker.start(vertx, InvokerTesting.config(instance,
        Map.of("prewarm", false))), WAIT);
    try {
      var action = InvokerTesting.action("stops", new Exec.Code("blackbox", null, false, null, IMAGE), ActionLimits.DEFAULT,
          KeyValues.EMPTY, KeyValues.EMPTY);
      Activation ok = await(invoker.invoke(InvokerTesting.request(action, new JsonObject())), WAIT);
      assertEquals(0, ok.response().statusCode(), ok.toJson().encode());

      Activation failed = await(invoker.invoke(InvokerTesting.request(action, new JsonObject().put("fail", true))), WAIT);
      assertEquals(2, failed.response().statusCode(), failed.toJson().encode());
      assertTrue(failed.logs().stream().anyMatch(l -> l.endsWith("stdout: failing as asked")), failed.logs().toString());

      Activation next = await(invoker.invoke(InvokerTesting.request(action, new JsonObject())), WAIT);
      assertEquals(0, next.response().statusCode(), "the failed container was reused: " + next.toJson().encode());
      assertNotNull(next.annotations().get("initTime"), "a fresh container was started");
      assertEquals(1, PodmanTesting.containersOf(instance).size(), "the failed container is gone");

      // a success keeps the fresh container
      Activation again = await(invoker.invoke(InvokerTesting.request(action, new JsonObject())), WAIT);
      assertEquals(0, again.response().statusCode(), again.toJson().encode());
      assertEquals(null, again.annotations().get("initTime"), "a successful activation keeps its container");
    } finally {
      await(invoker.close(), WAIT);
      await(vertx.close(), Duration.ofSeconds(30));
    }
    assertEquals(List.of(), PodmanTesting.containersOf(instance));
  }
}
