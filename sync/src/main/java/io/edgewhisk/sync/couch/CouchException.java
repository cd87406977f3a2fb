package io.edgewhisk.sync.couch;

/**
 * A failed CouchDB request: the HTTP status (0 when the server could not be reached or did not answer in
 * time) and CouchDB's own {@code error} and {@code reason}, so that a status line can name the cause.
 */
public final class CouchException extends RuntimeException {
  private final int status;
  private final String error;
  private final String reason;

  public CouchException(int status, String error, String reason) {
    super(describe(status, error, reason), null, false, false);
    this.status = status;
    this.error = error;
    this.reason = reason;
  }

  public CouchException(String error, Throwable cause) {
    super(describe(0, error, cause.getMessage()), cause, false, false);
    this.status = 0;
    this.error = error;
    this.reason = String.valueOf(cause.getMessage());
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String reason() {
    return reason;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  public boolean isConflict() {
    return status == 409;
  }

  /** Worth trying again later: no answer, a timeout, a rate limit or a server error. */
  public boolean isTransient() {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }

  private static String describe(int status, String error, String reason) {
    return (status == 0 ? "CouchDB unreachable" : "CouchDB answered " + status)
        + (error == null || status == 0 ? "" : " " + error) + (reason == null || reason.isEmpty() ? "" : ": " + reason);
  }
}
