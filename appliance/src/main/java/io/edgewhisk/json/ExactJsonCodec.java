package io.edgewhisk.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.HybridJacksonPool;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.json.JsonCodec;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Vert.x's JSON codec for the whole process: decoding through {@link JsonTree} (exact numbers, strict
 * JSON, strings as long as the document, so that 48 MB of action code reads back), encoding through
 * Jackson's streaming generator as Vert.x does. Unlike Vert.x's codec, neither direction copies the
 * document once more: a buffer is read in place, and an encoded document's bytes become the buffer.
 */
public final class ExactJsonCodec implements JsonCodec {
  private static final LongConsumerNone FREE = new LongConsumerNone();
  /** Jackson's factory configured for writing as Vert.x's is (its pool of recycled buffers). */
  private static final JsonFactory FACTORY = JsonFactory.builder().recyclerPool(HybridJacksonPool.getInstance()).build();
  private final JsonTree reader = new JsonTree(JsonLimits.TRUSTED);
  private final JacksonCodec writer = new JacksonCodec();

  @Override
  public <T> T fromString(String json, Class<T> clazz) throws DecodeException {
    try {
      return as(reader.read(json, FREE), clazz);
    } catch (JsonLimitExceeded e) {
      throw new DecodeException(e.getMessage());
    }
  }

  @Override
  public <T> T fromBuffer(Buffer json, Class<T> clazz) throws DecodeException {
    ByteBuf readable = ((BufferInternal) json).getByteBuf(); // a slice: no copy
    byte[] bytes;
    int offset;
    if (readable.hasArray()) {
      bytes = readable.array();
      offset = readable.arrayOffset() + readable.readerIndex();
    } else {
      bytes = new byte[readable.readableBytes()];
      readable.getBytes(readable.readerIndex(), bytes);
      offset = 0;
    }
    try {
      return as(reader.read(bytes, offset, readable.readableBytes(), FREE), clazz);
    } catch (JsonLimitExceeded e) {
      throw new DecodeException(e.getMessage());
    }
  }

  @Override
  public <T> T fromValue(Object json, Class<T> clazz) {
    return writer.fromValue(json, clazz);
  }

  @Override
  public String toString(Object object, boolean pretty) throws EncodeException {
    return writer.toString(object, pretty);
  }

  @Override
  public Buffer toBuffer(Object object, boolean pretty) throws EncodeException {
    BufferRecycler recycler = FACTORY._getBufferRecycler();
    try (ByteArrayBuilder bytes = new ByteArrayBuilder(recycler)) {
      try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
        if (pretty) {
          generator.useDefaultPrettyPrinter();
        }
        JacksonCodec.encodeJson(object, generator);
      }
      byte[] array = bytes.toByteArray();
      bytes.release();
      return BufferInternal.buffer(new EncodedBytes(array));
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    } finally {
      recycler.releaseToPool();
    }
  }

  /** The tree in the shape asked for, as Vert.x's own codec gives it. */
  @SuppressWarnings("unchecked")
  static <T> T as(Object value, Class<T> clazz) {
    Object v = value;
    if (clazz == Object.class || clazz == JsonObject.class || clazz == JsonArray.class) {
      if (value instanceof Map<?, ?> m) {
        v = new JsonObject((Map<String, Object>) m);
      } else if (value instanceof List<?> l) {
        v = new JsonArray((List<Object>) l);
      }
    }
    if (v != null && !clazz.isInstance(v)) {
      throw new DecodeException("The request content was malformed: expected a JSON " + kind(clazz) + ".");
    }
    return (T) v;
  }

  private static String kind(Class<?> clazz) {
    return Map.class.isAssignableFrom(clazz) || clazz == JsonObject.class ? "object"
        : List.class.isAssignableFrom(clazz) || clazz == JsonArray.class ? "array" : "value";
  }

  /** An encoded document's array as a buffer, growable like any (Buffer.buffer(byte[]) would copy it). */
  private static final class EncodedBytes extends UnpooledHeapByteBuf {
    EncodedBytes(byte[] array) {
      super(UnpooledByteBufAllocator.DEFAULT, array, Integer.MAX_VALUE);
    }
  }

  private static final class LongConsumerNone implements java.util.function.LongConsumer {
    @Override
    public void accept(long value) {
      // documents the process wrote itself are not charged to any request
    }
  }
}
