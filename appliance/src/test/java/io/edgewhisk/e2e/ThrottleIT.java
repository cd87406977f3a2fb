package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgewhisk.api.RealAppliance;
import io.edgewhisk.api.WhiskClient;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenWhisk's per-namespace throttles on the real appliance: invocations per minute (the default 60)
 * and concurrent invocations (lowered for one namespace), with OpenWhisk's 429 messages and error body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThrottleIT {
  private static final String NS = "/api/v1/namespaces/_/";
  private final InstanceContainers containers = new InstanceContainers("throttle-it");
  private RealAppliance appliance;

  @BeforeAll
  void start() throws Exception {
    appliance = new RealAppliance("edgewhisk.invoker { pause-grace = 2s, user-memory = 1536 }, " + containers.setting());
  }

  @AfterAll
  void stop() {
    if (appliance != null) {
      appliance.close();
    }
    containers.assertNoneLeft();
  }

  /** A fresh namespace (its own throttle windows) and a client speaking as it. */
  private WhiskClient namespace(String name) throws Exception {
    Identity id = appliance.appliance().stores().subjects().create(name, name).await(10, TimeUnit.SECONDS);
    return new WhiskClient(appliance.port(), id.authKey());
  }

  private static void create(WhiskClient wsk, String name, String code) {
    WhiskClient.Reply r = wsk.put(NS + "actions/" + name + "?overwrite=true",
        new JsonObject().put("exec", new JsonObject().put("kind", "nodejs:default").put("code", code)));
    assertEquals(200, r.status(), r::toString);
  }

  /** OpenWhisk's error body: the message and the transaction id, which the X-Request-ID header repeats. */
  private static void assertOpenWhiskError(WhiskClient.Reply r, int status, String message) {
    assertEquals(status, r.status(), r::toString);
    assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
    JsonObject body = r.json();
    assertEquals(message, body.getString("error"), r::toString);
    assertFalse(body.getString("code", "").isBlank(), r::toString);
    assertEquals(body.getString("code"), r.header("x-request-id"));
    assertEquals(2, body.size(), r::toString);
  }

  @Test
  void theSixtyFirstInvocationWithinAMinuteIsRefused() throws Exception {
    WhiskClient wsk = namespace("perminute");
    create(wsk, "quick", "function main(p) { return {i: p.i}; }");
    long started = System.nanoTime();
    for (int i = 1; i <= 60; i++) {
      WhiskClient.Reply r = wsk.post(NS + "actions/quick?blocking=true&result=true", new JsonObject().put("i", i));
      assertEquals(200, r.status(), "invocation " + i + " of the default 60 per minute: " + r);
      assertEquals(i, r.json().getInteger("i"));
    }
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("throttle: 60 blocking invocations in %d ms%n", elapsedMs);
    if (elapsedMs >= 55_000) {
      fail("60 invocations took " + elapsedMs + " ms: too slow to test a one-minute window");
    }
    WhiskClient.Reply refused = wsk.post(NS + "actions/quick?blocking=true", new JsonObject().put("i", 61));
    assertOpenWhiskError(refused, 429, "Too many requests in the last minute (count: 61, allowed: 60).");
    // non-blocking is refused alike
    WhiskClient.Reply nonBlocking = wsk.post(NS + "actions/quick", new JsonObject());
    assertEquals(429, nonBlocking.status(), nonBlocking::toString);
    assertTrue(nonBlocking.json().getString("error").startsWith("Too many requests in the last minute (count: "), nonBlocking::toString);
    // refused invocations leave no activation behind
    awaitActivationCount(wsk, "quick", 60);
    // the window is the namespace's own: another namespace still invokes
    WhiskClient guest = new WhiskClient(appliance.port(), appliance.guestKey());
    create(guest, "quick", "function main(p) { return {i: p.i}; }");
    assertEquals(200, guest.post(NS + "actions/quick?blocking=true", new JsonObject().put("i", 1)).status());
  }

  @Test
  void invocationsOverTheConcurrentLimitAreRefused() throws Exception {
    WhiskClient wsk = namespace("narrow");
    var subjects = appliance.appliance().stores().subjects();
    subjects.setLimits("narrow", new NamespaceLimits(null, 2, null, null, null)).await(10, TimeUnit.SECONDS);
    appliance.awaitConcurrentLimit("narrow", 2);
    create(wsk, "slow", "function main(p) { return new Promise(r => setTimeout(() => r({n: p.n}), 4000)); }");

    WhiskClient.Reply first = wsk.post(NS + "actions/slow", new JsonObject().put("n", 1));
    WhiskClient.Reply second = wsk.post(NS + "actions/slow", new JsonObject().put("n", 2));
    assertEquals(202, first.status(), first::toString);
    assertEquals(202, second.status(), second::toString);
    assertOpenWhiskError(wsk.post(NS + "actions/slow", new JsonObject().put("n", 3)), 429,
        "Too many concurrent requests in flight (count: 3, allowed: 2).");
    assertOpenWhiskError(wsk.post(NS + "actions/slow?blocking=true", new JsonObject().put("n", 4)), 429,
        "Too many concurrent requests in flight (count: 3, allowed: 2).");

    // once the two have finished, their slots are free again
    for (String id : new String[] {first.json().getString("activationId"), second.json().getString("activationId")}) {
      awaitRecord(wsk, id);
    }
    WhiskClient.Reply again = wsk.post(NS + "actions/slow?blocking=true&result=true", new JsonObject().put("n", 5));
    assertEquals(200, again.status(), again::toString);
    assertEquals(5, again.json().getInteger("n"));
    awaitActivationCount(wsk, "slow", 3);
  }

  /** The records of a blocking invocation are written just after its answer, so the count may lag. */
  private static void awaitActivationCount(WhiskClient wsk, String action, int expected) throws InterruptedException {
    int count = -1;
    for (int i = 0; i < 50; i++) {
      count = wsk.get(NS + "activations?name=" + action + "&count=true").json().getInteger("activations");
      if (count == expected) {
        // and it stays there: nothing refused turns up later
        Thread.sleep(500);
        assertEquals(expected, wsk.get(NS + "activations?name=" + action + "&count=true").json().getInteger("activations"));
        return;
      }
      Thread.sleep(100);
    }
    fail("activations of " + action + ": " + count + ", expected " + expected);
  }

  private static void awaitRecord(WhiskClient wsk, String id) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (wsk.get(NS + "activations/" + id).status() == 200) {
        return;
      }
      Thread.sleep(100);
    }
    fail("no record for " + id);
  }
}
