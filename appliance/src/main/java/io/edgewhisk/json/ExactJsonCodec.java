package io.edgewhisk.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.json.JsonCodec;
import java.util.List;
import java.util.Map;

/**
 * Vert.x's JSON codec for the whole process: decoding through {@link JsonTree} (exact numbers, strict
 * JSON, strings as long as the document, so that 48 MB of action code reads back), encoding through
 * Jackson's streaming generator as Vert.x does.
 */
public final class ExactJsonCodec implements JsonCodec {
  private static final LongConsumerNone FREE = new LongConsumerNone();
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
    byte[] bytes = json.getBytes();
    try {
      return as(reader.read(bytes, 0, bytes.length, FREE), clazz);
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
    return writer.toBuffer(object, pretty);
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

  private static final class LongConsumerNone implements java.util.function.LongConsumer {
    @Override
    public void accept(long value) {
      // documents the process wrote itself are not charged to any request
    }
  }
}
