package io.edgewhisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.edgewhisk.json.ExactJsonCodec;
import org.junit.jupiter.api.Test;

class StreamingJsonFactoryTest {
  @Test
  void vertxUsesTheStreamingCodecThoughDatabindIsOnTheClassPath() {
    // DatabindCodec extends JacksonCodec: only the exact class proves which one Vert.x chose
    assertEquals(ExactJsonCodec.class, Json.CODEC.getClass());
    JsonObject o = new JsonObject().put("n", 1).put("big", 12345678901L).put("f", 1.5).put("s", "ü✓").putNull("z");
    assertEquals(o, new JsonObject(o.encode()));
  }
}
