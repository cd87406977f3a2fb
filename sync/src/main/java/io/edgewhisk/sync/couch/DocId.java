package io.edgewhisk.sync.couch;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of database names, document ids and attachment names as path segments. OpenWhisk's ids
 * contain '/', which must travel as {@code %2F}: an unencoded {@code /db/a/b} is attachment {@code b} of
 * document {@code a}. The {@code _local/} and {@code _design/} prefixes keep their slash, as CouchDB's
 * routes expect.
 */
public final class DocId {
  private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  private DocId() {}

  public static String path(String id) {
    for (String prefix : new String[] {"_local/", "_design/"}) {
      if (id.startsWith(prefix)) {
        return prefix + segment(id.substring(prefix.length()));
      }
    }
    return segment(id);
  }

  /** One path segment, every byte outside RFC 3986's unreserved set percent-encoded. */
  public static String segment(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      if (u < 128 && UNRESERVED.indexOf(u) >= 0) {
        b.append((char) u);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
      }
    }
    return b.toString();
  }
}
