package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The API's behaviour, as a user's client sees it over HTTP, written once and run against both the
 * fast appliance (in-memory stores) and the real one (SQLite, real process wiring).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ApiContractBase {
  private static final AtomicInteger SEQ = new AtomicInteger();
  protected ApplianceUnderTest appliance;
  protected WhiskClient guest;
  protected WhiskClient other;
  protected WhiskClient anonymous;

  protected abstract ApplianceUnderTest start() throws Exception;

  @BeforeAll
  void startAppliance() throws Exception {
    appliance = start();
    guest = new WhiskClient(appliance.port(), appliance.guestKey());
    other = new WhiskClient(appliance.port(), appliance.otherKey());
    anonymous = new WhiskClient(appliance.port(), null);
  }

  @AfterAll
  void stopAppliance() {
    if (appliance != null) {
      appliance.close();
    }
  }

  /** A name no other test uses. */
  protected static String unique(String prefix) {
    return prefix + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100000;
  }

  /** Asserts OpenWhisk's error shape: the status, {@code {"error","code"}}, and the code in X-Request-ID. */
  protected static JsonObject assertError(WhiskClient.Reply r, int status) {
    assertEquals(status, r.status(), () -> "expected " + status + " but got " + r);
    JsonObject body = r.json();
    assertNotNull(body.getString("error"), r::toString);
    assertEquals(r.header("X-Request-ID"), body.getString("code"), r::toString);
    return body;
  }

  protected static JsonObject assertError(WhiskClient.Reply r, int status, String message) {
    JsonObject body = assertError(r, status);
    assertTrue(body.getString("error").contains(message), () -> "expected '" + message + "' in " + r);
    return body;
  }

  protected static JsonObject nodeAction(String code) {
    return new JsonObject().put("exec", new JsonObject().put("kind", "nodejs:default").put("code", code));
  }

  protected static final String HELLO = "function main(p) { return {greeting: 'Hello ' + (p.name || 'stranger')}; }";
}
