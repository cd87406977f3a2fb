package io.edgewhisk.sync.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ActivationDocumentTest {

  @Test
  void theDocumentIsOpenWhisksActivationWithTheDevice() {
    JsonObject doc = ActivationDocument.of(ActivationRecords.record("guest", 7), "gw-berlin-1");
    assertEquals("guest/" + ActivationRecords.id(7), doc.getString("_id"));
    assertEquals("activation", doc.getString("entityType"));
    assertEquals(1733390000042L, doc.getLong("updated"));
    for (String field : new String[] {"namespace", "name", "subject", "activationId", "start", "end", "response", "logs",
        "version", "publish", "annotations"}) {
      assertEquals(true, doc.containsKey(field), field + " is required when OpenWhisk reads the document back");
    }
    JsonObject response = doc.getJsonObject("response");
    assertEquals(new JsonObject().put("statusCode", 0).put("result", new JsonObject().put("greeting", "hi 7")).put("size", 22L), response);
    assertFalse(response.containsKey("status"), "status and success exist only in API output");
    JsonArray annotations = doc.getJsonArray("annotations");
    assertEquals(new JsonObject().put("key", "edge-device").put("value", "gw-berlin-1"), annotations.getJsonObject(annotations.size() - 1));
    assertEquals(ActivationDocument.of(ActivationRecords.record("guest", 7), "gw-berlin-1"), doc, "deterministic");
  }

  @Test
  void aRecordThatIsNotAnActivationIsRefusedByName() {
    JsonObject r = ActivationRecords.record("guest", 1).put("activationId", "nope");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ActivationDocument.of(r, "d"));
    assertEquals("activationId 'nope' is not 32 hex digits", e.getMessage());
    JsonObject noResponse = ActivationRecords.record("guest", 1);
    noResponse.remove("response");
    assertThrows(IllegalArgumentException.class, () -> ActivationDocument.of(noResponse, "d"));
  }

  @Test
  void theUserEventIsOpenWhisksActivationEvent() {
    JsonObject record = ActivationRecords.record("guest", 3);
    record.getJsonArray("annotations").add(new JsonObject().put("key", "causedBy").put("value", "sequence"));
    record.getJsonObject("response").put("statusCode", 1).put("result", new JsonObject().put("statusCode", 404));
    JsonObject e = UserEvent.of(record, "gw-1", "23bc46b1-71f6-4ed5-8c54-816aa4f8c502");
    assertEquals("gw-1", e.getString("source"));
    assertEquals("Activation", e.getString("eventType"));
    assertEquals("alice", e.getString("subject"));
    assertEquals("guest", e.getString("namespace"));
    assertEquals("23bc46b1-71f6-4ed5-8c54-816aa4f8c502", e.getString("userId"));
    assertEquals(1733390000042L, e.getLong("timestamp"));
    JsonObject body = e.getJsonObject("body");
    assertEquals(new JsonObject().put("name", "guest/hello").put("activationId", ActivationRecords.id(3)).put("statusCode", 1)
        .put("duration", 42L).put("waitTime", 5L).put("initTime", 30L).put("kind", "nodejs:18").put("conductor", false)
        .put("memory", 256).put("causedBy", "sequence").put("size", 22).put("userDefinedStatusCode", 404), body);
  }
}
