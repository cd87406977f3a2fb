package io.edgewhisk.invoker;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * A JVM that starts an invoker, runs one action (leaving its container warm) and waits to be killed:
 * {@link OrphanCleanupIT} kills it with SIGKILL to leave containers behind as a crash would.
 */
public final class OrphanMaker {
  private OrphanMaker() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    InvokerConfig config = InvokerTesting.config(args[0], Map.of("prewarm", false, "pause-grace", "1s"));
    Invoker invoker = InvokerTesting.await(PodmanInvoker.start(vertx, config), Duration.ofSeconds(60));
    var action = InvokerTesting.nodejs("orphan", "function main() { return {ok: true}; }");
    var a = InvokerTesting.await(invoker.invoke(InvokerTesting.request(action, new JsonObject())), Duration.ofSeconds(60));
    System.out.println("READY " + a.response().statusCode());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
