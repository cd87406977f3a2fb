package io.edgewhisk.config;

import io.edgewhisk.json.ExactJsonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Makes Vert.x encode and decode JSON with Jackson's streaming parser and generator. Vert.x picks its
 * data-binding codec whenever jackson-databind is on the class path, and docker-java puts it there;
 * EdgeWhisk maps no objects to JSON (only {@code JsonObject}, {@code JsonArray} and plain values), so the
 * streaming codec does the same work for a fraction of the cost on every request and activation. The
 * codec keeps numbers exact and strings as long as their document ({@link ExactJsonCodec}).
 */
public final class StreamingJsonFactory implements JsonFactory {
  private static final JsonCodec CODEC = new ExactJsonCodec();

  @Override
  public int order() {
    return 0; // before Vert.x's own factory, which comes last
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
