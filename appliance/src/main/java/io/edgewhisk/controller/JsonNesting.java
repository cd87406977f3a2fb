package io.edgewhisk.controller;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * How deep a JSON value nests, against the one limit every encoder and decoder here shares (Jackson's
 * 1,000 levels). A value is accepted only as deep as it can still be written inside the documents that
 * carry it: an activation record holds a result two levels down ({@code response.result}).
 */
final class JsonNesting {
  /** Jackson's default nesting limit for reading and for writing. */
  static final int DOCUMENT_MAX_DEPTH = 1000;
  /** Deepest payload or result an activation record can carry. */
  static final int VALUE_MAX_DEPTH = DOCUMENT_MAX_DEPTH - 2;

  private JsonNesting() {}

  /** Whether {@code value} nests deeper than {@code max} levels ({@code {}} and {@code []} are one level). */
  static boolean deeperThan(Object value, int max) {
    return depth(value, 0, max) > max;
  }

  /** The depth of {@code value} below {@code at}, not looking further once past {@code max}. */
  private static int depth(Object value, int at, int max) {
    Iterable<?> children;
    if (value instanceof JsonObject o) {
      children = o.getMap().values();
    } else if (value instanceof Map<?, ?> m) {
      children = m.values();
    } else if (value instanceof JsonArray a) {
      children = a.getList();
    } else if (value instanceof List<?> l) {
      children = l;
    } else {
      return at;
    }
    int deepest = at + 1;
    if (deepest > max) {
      return deepest;
    }
    for (Object child : children) {
      deepest = Math.max(deepest, depth(child, at + 1, max));
      if (deepest > max) {
        return deepest;
      }
    }
    return deepest;
  }
}
