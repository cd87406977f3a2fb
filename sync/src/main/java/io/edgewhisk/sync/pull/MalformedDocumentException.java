package io.edgewhisk.sync.pull;

/** A central document that is not what OpenWhisk writes; it is skipped and reported by id, never retried. */
public final class MalformedDocumentException extends RuntimeException {
  public MalformedDocumentException(String message) {
    super(message, null, false, false);
  }
}
