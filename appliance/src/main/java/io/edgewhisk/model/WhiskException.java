package io.edgewhisk.model;

/**
 * The one failure type of EdgeWhisk: an HTTP status and the message OpenWhisk gives for it.
 * Every edge (SQL, Podman, HTTP, MQTT) translates its own failures into this once.
 */
public final class WhiskException extends RuntimeException {
  private final int status;

  public WhiskException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public WhiskException(int status, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static WhiskException badRequest(String message) {
    return new WhiskException(400, message);
  }

  public static WhiskException unauthorized() {
    return new WhiskException(401, "The supplied authentication is invalid");
  }

  public static WhiskException forbidden(String resource) {
    return new WhiskException(403, "The supplied authentication is not authorized to access '" + resource + "'.");
  }

  public static WhiskException notFound(String resource) {
    return new WhiskException(404, "The requested resource '" + resource + "' does not exist.");
  }

  public static WhiskException notFound() {
    return new WhiskException(404, "The requested resource does not exist.");
  }

  public static WhiskException alreadyExists() {
    return new WhiskException(409, "resource already exists");
  }

  public static WhiskException concurrentModification() {
    return new WhiskException(409, "Concurrent modification to resource detected.");
  }

  public static WhiskException tooLarge(long actual, long allowed) {
    return new WhiskException(413, "Request larger than allowed: " + actual + " > " + allowed + " bytes.");
  }

  public static WhiskException tooManyPerMinute(long count, long allowed) {
    return new WhiskException(429, "Too many requests in the last minute (count: " + count + ", allowed: " + allowed + ").");
  }

  public static WhiskException tooManyConcurrent(long count, long allowed) {
    return new WhiskException(429, "Too many concurrent requests in flight (count: " + count + ", allowed: " + allowed + ").");
  }

  public static WhiskException unavailable(String message) {
    return new WhiskException(503, message);
  }

  public static WhiskException internal(String message, Throwable cause) {
    return new WhiskException(500, message, cause);
  }

  /** The exception itself if it is one, else a 500 that keeps the cause for the log. */
  public static WhiskException from(Throwable t) {
    return t instanceof WhiskException w ? w : internal("An internal error occurred.", t);
  }
}
