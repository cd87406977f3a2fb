package io.edgewhisk.sync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
  static final long NOW = 1_800_000_000_000L;

  static JsonObject status(boolean up, long oldestAge, long updated) {
    return new JsonObject().put("updated", updated)
        .put("links", new JsonObject().put("couchdb-push", new JsonObject().put("up", up).put("lastError", "CouchDB unreachable")))
        .put("outbox", new JsonObject().put("push-couchdb", new JsonObject().put("oldestAgeSeconds", oldestAge)));
  }

  int verdict(JsonObject s, ByteArrayOutputStream err) {
    return StatusCommand.verdict(s, Duration.ofSeconds(30), Duration.ofMinutes(15), NOW, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void healthyIsZero() {
    assertEquals(0, verdict(status(true, 10, NOW - 1000), new ByteArrayOutputStream()));
  }

  @Test
  void aLinkDownAnOldBacklogOrAStaleStatusIsOneWithTheReason() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(1, verdict(status(false, 0, NOW), err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("couchdb-push is down: CouchDB unreachable"));
    err.reset();
    assertEquals(1, verdict(status(true, 901, NOW), err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("901 s old"));
    err.reset();
    assertEquals(1, verdict(status(true, 0, NOW - 600_000), err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("is EdgeWhisk running"));
  }
}
