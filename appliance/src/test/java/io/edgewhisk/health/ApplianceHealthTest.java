package io.edgewhisk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.log.LogHealth;
import io.edgewhisk.spi.HealthComponent.Status;
import io.edgewhisk.telemetry.HealthRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplianceHealthTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void allOkIs200AndNamesEveryPart() throws Exception {
    HealthRegistry plugins = new HealthRegistry();
    plugins.component("mqtt.broker").ok();
    HealthReport r = new ApplianceHealth(vertx, Map.of("podman", ok(), "sqlite", ok()), plugins, 1000).check()
        .await(5, TimeUnit.SECONDS);
    assertEquals(200, r.httpStatus());
    JsonObject json = r.toJson();
    assertEquals("ok", json.getString("status"));
    assertEquals(Map.of("podman", "ok", "sqlite", "ok", "mqtt.broker", "ok"), statuses(json));
    assertNull(json.getJsonObject("parts").getJsonObject("podman").getString("reason"));
  }

  @Test
  void aFailedProbeIsDownWithItsReasonAndTheWorstPartDecides() throws Exception {
    AtomicReference<Future<?>> podman = new AtomicReference<>(Future.failedFuture(new IllegalStateException("refused")));
    HealthRegistry plugins = new HealthRegistry();
    plugins.component("sync.couchdb").degraded("retrying the push");
    Map<String, ApplianceHealth.Probe> probes = new LinkedHashMap<>();
    probes.put("podman", ApplianceHealth.reachable("Podman", podman::get));
    probes.put("sqlite", ok());
    ApplianceHealth health = new ApplianceHealth(vertx, probes, plugins, 1000);
    JsonObject json = health.check().await(5, TimeUnit.SECONDS).toJson();
    assertEquals("down", json.getString("status"));
    assertEquals("Podman: refused", json.getJsonObject("parts").getJsonObject("podman").getString("reason"));
    assertEquals("retrying the push", json.getJsonObject("parts").getJsonObject("sync.couchdb").getString("reason"));
    assertEquals(503, health.check().await(5, TimeUnit.SECONDS).httpStatus());

    podman.set(Future.succeededFuture());
    HealthReport back = health.check().await(5, TimeUnit.SECONDS);
    assertEquals(Status.DEGRADED, back.status(), back::toString);
    assertEquals(503, back.httpStatus());
    plugins.component("sync.couchdb").ok();
    assertEquals(200, health.check().await(5, TimeUnit.SECONDS).httpStatus());
  }

  @Test
  void aProbeThatDoesNotAnswerIsDownAfterTheTimeout() throws Exception {
    Promise<HealthReport.Part> never = Promise.promise();
    ApplianceHealth.Probe throwing = () -> {
      throw new IllegalStateException("closed");
    };
    long start = System.nanoTime();
    HealthReport r = new ApplianceHealth(vertx, Map.of("sqlite", never::future, "log", throwing), new HealthRegistry(), 200)
        .check().await(5, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
    assertEquals(new HealthReport.Part(Status.DOWN, "sqlite did not answer within 200 ms"), r.parts().get("sqlite"));
    assertEquals(new HealthReport.Part(Status.DOWN, "closed"), r.parts().get("log"));
  }

  @Test
  void diskTurnsDegradedBeforeItIsFull() {
    long gib = 1L << 30;
    assertEquals(Status.OK, ApplianceHealth.disk("/s", 2 * gib, gib).status());
    assertEquals(Status.OK, ApplianceHealth.disk("/s", gib, gib).status());
    HealthReport.Part low = ApplianceHealth.disk("/s", gib - 1, gib);
    assertEquals(Status.DEGRADED, low.status());
    assertTrue(low.reason().contains("/s"), low.reason());
    assertEquals(Status.DEGRADED, ApplianceHealth.disk("/s", gib / 8, gib).status());
    assertEquals(Status.DOWN, ApplianceHealth.disk("/s", gib / 8 - 1, gib).status());
  }

  @Test
  void logIsDownAfterAFailureAndDegradedWhenRecordsWereDroppedOrTheCapIsNear() {
    assertEquals(Status.OK, ApplianceHealth.log(new LogHealth(100, 1000, 0, null, Map.of())).status());
    assertEquals(Status.DEGRADED, ApplianceHealth.log(new LogHealth(100, 1000, 3, null, Map.of())).status());
    assertEquals(Status.DEGRADED, ApplianceHealth.log(new LogHealth(900, 1000, 0, null, Map.of())).status());
    HealthReport.Part down = ApplianceHealth.log(new LogHealth(100, 1000, 0, "No space left on device", Map.of()));
    assertEquals(Status.DOWN, down.status());
    assertTrue(down.reason().contains("No space left"), down.reason());
    assertFalse(new HealthReport(Map.of("log", down)).httpStatus() == 200);
  }

  private static ApplianceHealth.Probe ok() {
    return () -> Future.succeededFuture(HealthReport.Part.ok());
  }

  private static Map<String, String> statuses(JsonObject json) {
    Map<String, String> out = new java.util.HashMap<>();
    json.getJsonObject("parts").forEach(e -> out.put(e.getKey(), ((JsonObject) e.getValue()).getString("status")));
    return out;
  }
}
