package io.edgewhisk.controller;

import static io.edgewhisk.catalog.CatalogFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewhisk.catalog.CatalogFixture;
import io.edgewhisk.log.MutableClock;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusedFiresTest {
  @TempDir
  Path dir;
  private CatalogFixture f;
  private final List<Activation> records = new CopyOnWriteArrayList<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
  private RefusedFires refused;
  private final WhiskException throttled = WhiskException.tooManyPerMinute(61, 60);

  @BeforeEach
  void open() {
    f = new CatalogFixture(dir);
    refused = new RefusedFires(f.stores.entities(), (a, who) -> {
      records.add(a);
      return Future.succeededFuture();
    }, clock);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aRefusedFireIsATriggerActivationThatSaysSo() {
    FullyQualifiedName t = f.trigger("sensor");
    ActivationId id = await(refused.refused(f.guest(), t, new JsonObject().put("topic", "t/1"), throttled));
    assertNotNull(id);
    Activation a = records.get(0);
    assertEquals(id, a.activationId());
    assertEquals("sensor", a.name());
    assertEquals(ActivationResponse.APPLICATION_ERROR, a.response().statusCode());
    JsonObject result = (JsonObject) a.response().result();
    assertEquals(throttled.getMessage(), result.getString("error"));
    assertEquals(1, result.getLong("refusedFires"));
    assertEquals("t/1", result.getJsonObject("payload").getString("topic"));
    assertEquals(429, a.annotations().get("refused"));
    assertEquals(t.toString(), a.path());
  }

  @Test
  void aFloodOfRefusalsBecomesOneRecordPerTriggerASecondThatCountsThem() {
    FullyQualifiedName sensor = f.trigger("sensor");
    FullyQualifiedName other = f.trigger("other");
    assertNotNull(await(refused.refused(f.guest(), sensor, null, throttled)));
    for (int i = 0; i < 99; i++) {
      assertNull(await(refused.refused(f.guest(), sensor, null, throttled)), "within the window: only counted");
    }
    assertNotNull(await(refused.refused(f.guest(), other, null, throttled)), "each trigger has its own window");
    assertEquals(2, records.size());

    clock.advance(Duration.ofMillis(RefusedFires.WINDOW_MILLIS));
    assertNotNull(await(refused.refused(f.guest(), sensor, null, throttled)));
    assertEquals(3, records.size());
    assertEquals(100, ((JsonObject) records.get(2).response().result()).getLong("refusedFires"),
        "the 99 counted refusals and this one");
    assertFalse(records.get(2).response().isSuccess());
  }
}
