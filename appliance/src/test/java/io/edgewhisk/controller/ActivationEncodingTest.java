package io.edgewhisk.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationEncodingTest {
  private final ActivationEncoding encoding = new ActivationEncoding(256 * 1024);

  static Activation activation(Object result, List<String> logs) {
    return new Activation("guest", "a", "guest", ActivationId.random(), 1, 2, 1, null, ActivationResponse.success(result),
        logs, KeyValues.EMPTY.with("path", "guest/a"), SemVer.INITIAL, false);
  }

  static JsonObject nested(int depth) {
    Object v = 1;
    for (int i = 0; i < depth; i++) {
      v = new JsonObject().put("a", v);
    }
    return (JsonObject) v;
  }

  @Test
  void aResultAsDeepAsAPayloadMayBeIsKeptAndRoundTrips() {
    Activation a = activation(nested(JsonNesting.VALUE_MAX_DEPTH), List.of());
    ActivationEncoding.Encoded e = encoding.encode(a);
    assertSame(a, e.activation());
    assertEquals(a.toJson(), new JsonObject(e.json()));
  }

  @Test
  void aResultTooDeepToEncodeBecomesADeveloperErrorInsteadOfNoRecord() {
    Activation a = activation(nested(JsonNesting.VALUE_MAX_DEPTH + 1), List.of("kept"));
    ActivationEncoding.Encoded e = encoding.encode(a);
    assertEquals(ActivationResponse.DEVELOPER_ERROR, e.activation().response().statusCode());
    assertEquals(ActivationEncoding.TOO_DEEP, ((JsonObject) e.activation().response().result()).getString("error"));
    assertEquals(List.of("kept"), e.activation().logs());
    assertEquals(a.activationId().value(), new JsonObject(e.json()).getString("activationId"));
  }

  @Test
  void logsThatDoNotFitTheLargestRecordAreCutWithANotice() {
    List<String> logs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      logs.add("2026-12-05T18:00:00.000000000Z stdout: \u0001\u0002\u0003 line " + i); // escaped 6 bytes each
    }
    Activation a = activation(new JsonObject().put("ok", true), logs);
    ActivationEncoding.Encoded e = encoding.encode(a);
    assertTrue(e.json().length() <= 256 * 1024, "encoded " + e.json().length());
    List<String> kept = e.activation().logs();
    assertTrue(kept.size() > 1000 && kept.size() < logs.size(), "kept " + kept.size());
    assertTrue(kept.get(kept.size() - 1).endsWith("Logs were truncated because the activation record exceeds the limit of "
        + 256 * 1024 + " bytes."));
    assertEquals(new JsonObject().put("ok", true), e.activation().response().result());
  }

  @Test
  void aResultThatCannotFitIsReplacedByAnError() {
    Activation a = activation(new JsonObject().put("s", "\u0001".repeat(100_000)), List.of("line"));
    ActivationEncoding.Encoded e = encoding.encode(a);
    assertTrue(e.json().length() <= 256 * 1024);
    assertEquals(ActivationResponse.WHISK_ERROR, e.activation().response().statusCode());
  }
}
