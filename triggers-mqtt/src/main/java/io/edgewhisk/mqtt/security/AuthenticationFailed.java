package io.edgewhisk.mqtt.security;

/** A refused CONNECT: bad credentials, or anonymous when it is not allowed. */
public final class AuthenticationFailed extends Exception {
  private final boolean badCredentials;

  public AuthenticationFailed(String message, boolean badCredentials) {
    super(message, null, false, false);
    this.badCredentials = badCredentials;
  }

  /** True for a wrong user name or password (0x86), false for "not authorized" (0x87). */
  public boolean badCredentials() {
    return badCredentials;
  }
}
