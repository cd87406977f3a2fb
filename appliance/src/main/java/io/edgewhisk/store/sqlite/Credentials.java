package io.edgewhisk.store.sqlite;

import java.security.SecureRandom;
import java.util.UUID;

/** Fresh namespace credentials, as OpenWhisk makes them: a random UUID and 64 random alphanumerics. */
final class Credentials {
  static final int KEY_LENGTH = 64;
  private static final String ALPHANUMERICS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Credentials() {}

  static String uuid() {
    return UUID.randomUUID().toString();
  }

  static String key() {
    char[] key = new char[KEY_LENGTH];
    for (int i = 0; i < key.length; i++) {
      key[i] = ALPHANUMERICS.charAt(RANDOM.nextInt(ALPHANUMERICS.length()));
    }
    return new String(key);
  }
}
