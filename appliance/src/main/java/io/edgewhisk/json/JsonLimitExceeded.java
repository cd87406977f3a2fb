package io.edgewhisk.json;

/**
 * A document that breaks one of its {@link JsonLimits}: reading stopped there, before building the
 * rest. {@code limit} names what was exceeded in words fit for a client, e.g. "values".
 */
public final class JsonLimitExceeded extends RuntimeException {
  private final String limit;
  private final long allowed;

  public JsonLimitExceeded(String limit, long allowed) {
    super("The JSON document has more " + limit + " than allowed (" + allowed + ").", null, false, false);
    this.limit = limit;
    this.allowed = allowed;
  }

  public String limit() {
    return limit;
  }

  public long allowed() {
    return allowed;
  }
}
