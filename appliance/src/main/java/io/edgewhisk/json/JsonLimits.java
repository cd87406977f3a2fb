package io.edgewhisk.json;

/**
 * Bounds on what reading one JSON document may build: its length in bytes, its number of values
 * (every object, array, field name and scalar counts one), its nesting depth and its longest string.
 * A value of {@link Long#MAX_VALUE} (or {@link Integer#MAX_VALUE}) means unbounded.
 */
public record JsonLimits(long maxDocumentBytes, long maxTokens, int maxDepth, int maxStringChars) {
  /** Jackson's default nesting bound, which the embedded log's writer and the stores share. */
  public static final int DEFAULT_DEPTH = 1000;

  /** For documents EdgeWhisk wrote itself (stored entities, log records): only the nesting bound. */
  public static final JsonLimits TRUSTED = new JsonLimits(Long.MAX_VALUE, Long.MAX_VALUE, DEFAULT_DEPTH, Integer.MAX_VALUE);

  public JsonLimits {
    if (maxDocumentBytes <= 0 || maxTokens <= 0 || maxDepth <= 0 || maxStringChars <= 0) {
      throw new IllegalArgumentException("JSON limits must be positive");
    }
  }
}
