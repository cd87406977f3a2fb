package io.edgewhisk.sync.pull;

/** A well-formed central entity the gateway cannot take (code in S3 or Azure, say); reported, never a crash. */
public final class UnsupportedEntityException extends RuntimeException {
  public UnsupportedEntityException(String message) {
    super(message, null, false, false);
  }
}
