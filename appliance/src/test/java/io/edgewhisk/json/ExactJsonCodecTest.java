package io.edgewhisk.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExactJsonCodecTest {
  private final ExactJsonCodec codec = new ExactJsonCodec();
  private final JacksonCodec vertx = new JacksonCodec();

  private static JsonObject sample() {
    return new JsonObject()
        .put("name", "nöop \"quoted\" \u2028 \u0001 ☃")
        .put("long", Long.MIN_VALUE)
        .put("double", 0.1)
        .put("exact", new BigDecimal("12345678901234567890.123456789"))
        .put("bool", true)
        .putNull("nothing")
        .put("bytes", new byte[] {1, 2, 3})
        .put("instant", Instant.ofEpochMilli(1_700_000_000_123L))
        .put("list", new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3)).addNull())
        .put("empty", new JsonObject());
  }

  @Test
  void encodesAsVertxDoesCompactAndPretty() {
    for (boolean pretty : new boolean[] {false, true}) {
      Buffer ours = codec.toBuffer(sample(), pretty);
      assertEquals(vertx.toBuffer(sample(), pretty).toString(StandardCharsets.UTF_8), ours.toString(StandardCharsets.UTF_8));
    }
    assertEquals("\"text\"", codec.toBuffer("text", false).toString());
    assertEquals("[]", codec.toBuffer(new JsonArray(), false).toString());
  }

  @Test
  void anEncodedBufferCanBeAppendedToAndSliced() {
    Buffer b = codec.toBuffer(new JsonObject().put("a", 1), false);
    b.appendString("\n").appendBuffer(Buffer.buffer("x".repeat(10_000)));
    assertEquals("{\"a\":1}\n" + "x".repeat(10_000), b.toString());
    assertEquals("{\"a\":1}", b.getBuffer(0, 7).toString());
  }

  @Test
  void aValueJsonCannotHoldIsAnEncodeException() {
    assertThrows(EncodeException.class, () -> codec.toBuffer(new JsonObject().put("x", (Object) new Object() {}), false));
  }

  @Test
  void decodesABufferInPlaceFromItsReaderIndexOnly() {
    String doc = sample().encode();
    Buffer whole = Buffer.buffer("garbage{" + doc + "}trailing");
    Buffer slice = whole.getBuffer(8, 8 + doc.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(sample().encode(), codec.fromBuffer(slice, JsonObject.class).encode());

    var partlyRead = Unpooled.copiedBuffer("[[" + doc + "]", StandardCharsets.UTF_8);
    partlyRead.readerIndex(1);
    Buffer afterRead = BufferInternal.buffer(partlyRead);
    assertEquals(new JsonArray().add(sample()).encode(), codec.fromBuffer(afterRead, JsonArray.class).encode());
  }

  @Test
  void decodesADirectBuffer() {
    String doc = sample().encode();
    var direct = Unpooled.directBuffer();
    direct.writeCharSequence(doc, StandardCharsets.UTF_8);
    try {
      assertEquals(doc, codec.fromBuffer(BufferInternal.buffer(direct), JsonObject.class).encode());
    } finally {
      direct.release();
    }
  }
}
