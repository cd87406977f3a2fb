package io.edgewhisk.sync.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InvokerMessageTest {
  static final String ID = "0123456789abcdef0123456789abcdef";

  @Test
  void readsWhatTheGatewayNeedsOfOpenWhisksActivationMessage() {
    InvokerMessage m = InvokerMessage.parse(Messages.bytes(Messages.activation(ID).put("cause", "fedcba9876543210fedcba9876543210")));
    assertEquals("/fleet/count", m.action());
    assertEquals("fleet/count", m.pathAnnotation());
    assertEquals("0.0.2", m.version());
    assertEquals("bob", m.subject());
    assertEquals("fleet", m.namespace());
    assertEquals(Messages.UUID + ":" + Messages.KEY, m.apiKey());
    assertEquals(ID, m.activationId());
    assertEquals("0", m.controller());
    assertTrue(m.blocking());
    assertEquals(new JsonObject().put("n", 7), m.content());
    assertEquals("fedcba9876543210fedcba9876543210", m.cause());
    assertEquals(new JsonArray().add("sGkSXg5J8dWmeHaN3Zxk0sFXMr0Wd1Bo").add(1733390000000L), m.transid());
  }

  @Test
  void aPackagedActionAndOptionalFieldsMissing() {
    JsonObject o = Messages.activation(ID);
    o.getJsonObject("action").put("path", "fleet/tools").remove("version");
    o.remove("content");
    o.remove("blocking");
    InvokerMessage m = InvokerMessage.parse(Messages.bytes(o));
    assertEquals("/fleet/tools/count", m.action());
    assertNull(m.version());
    assertNull(m.cause());
    assertFalse(m.blocking());
    assertEquals(new JsonObject(), m.content());
  }

  @Test
  void neverShowsTheKeyOrTheParameters() {
    JsonObject o = Messages.activation(ID);
    o.getJsonObject("content").put("password", "hunter2");
    String shown = InvokerMessage.parse(Messages.bytes(o)).toString();
    assertFalse(shown.contains(Messages.KEY), shown);
    assertFalse(shown.contains("hunter2"), shown);
    assertTrue(shown.contains(ID), shown);
  }

  @Test
  void malformedMessagesSayWhatIsWrong() {
    assertMalformed("not a JSON object", "[1,2]".getBytes(StandardCharsets.UTF_8));
    assertMalformed("not a JSON object", "{\"transid\":".getBytes(StandardCharsets.UTF_8));
    assertMalformed("no value", (byte[]) null);
    assertMalformed("activationId", o -> o.put("activationId", "not-an-id"));
    assertMalformed("activationId", o -> o.remove("activationId"));
    assertMalformed("cannot name a topic", o -> o.getJsonObject("rootControllerIndex").put("asString", "0/../x"));
    assertMalformed("rootControllerIndex", o -> o.remove("rootControllerIndex"));
    assertMalformed("transid", o -> o.put("transid", "abc"));
    assertMalformed("api_key", o -> o.getJsonObject("user").getJsonObject("authkey").remove("api_key"));
    assertMalformed("user.namespace.name", o -> o.getJsonObject("user").put("namespace", new JsonObject()));
    assertMalformed("action.name", o -> o.getJsonObject("action").remove("name"));
    assertMalformed("'content' is not an object", o -> o.put("content", new JsonArray().add(1)));
    assertMalformed("cause", o -> o.put("cause", 12));
    assertMalformed("blocking", o -> o.put("blocking", "yes"));
  }

  private static void assertMalformed(String why, Consumer<JsonObject> change) {
    JsonObject o = Messages.activation(ID);
    change.accept(o);
    assertMalformed(why, Messages.bytes(o));
  }

  private static void assertMalformed(String why, byte[] value) {
    InvokerMessage.MalformedMessageException e = assertThrows(InvokerMessage.MalformedMessageException.class,
        () -> InvokerMessage.parse(value));
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
