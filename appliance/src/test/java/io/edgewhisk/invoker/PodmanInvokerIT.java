package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Activation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invoker on real Podman with the appliance's runtime images. */
class PodmanInvokerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Vertx vertx;
  private InvokerTesting.BlockedThreads blocked;
  private Invoker invoker;

  @BeforeEach
  void setUp() throws Exception {
    vertx = InvokerTesting.strictVertx();
    InvokerConfig config = InvokerTesting.config("it-" + ProcessHandle.current().pid(), Map.of(
        "user-memory", 1024, "pause-grace", "1s", "idle-timeout", "5s", "prewarm", false));
    invoker = await(PodmanInvoker.start(vertx, config), WAIT);
    assertTrue(invoker.isReady(), ((PodmanInvoker) invoker).problem());
    blocked = new InvokerTesting.BlockedThreads();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(invoker.close(), WAIT);
    await(vertx.close(), WAIT);
    assertEquals(0, blocked.eventLoopWarnings(), "an event loop was blocked");
    blocked.close();
  }

  @Test
  void helloNodejs() throws Exception {
    var action = InvokerTesting.nodejs("hello",
        "function main(args) { console.log('hello', args.name); console.error('to stderr'); return {greeting: 'Hello ' + args.name}; }");
    Activation a = await(invoker.invoke(InvokerTesting.request(action, new JsonObject().put("name", "edge"))), WAIT);
    System.out.println(a.toJson().encodePrettily());
    assertEquals(0, a.response().statusCode());
    assertEquals("Hello edge", ((JsonObject) a.response().result()).getString("greeting"));
    Activation b = await(invoker.invoke(InvokerTesting.request(action, new JsonObject().put("name", "again"))), WAIT);
    System.out.println(b.toJson().encodePrettily());
  }
}
