package io.edgewhisk.sync.couch;

import java.net.URI;
import java.util.Objects;

/**
 * Where the central CouchDB is and how to log in: HTTP Basic with {@code username} and the password read
 * from its file at start-up. {@link #toString()} never shows the password.
 */
public record CouchEndpoint(URI url, String username, String password) {
  public CouchEndpoint {
    Objects.requireNonNull(url, "url");
    if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
      throw new IllegalArgumentException("the CouchDB url must be http or https: " + url);
    }
  }

  public boolean hasCredentials() {
    return username != null && !username.isEmpty();
  }

  /** The base URL without a trailing slash. */
  public String base() {
    String s = url.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public String toString() {
    return "CouchEndpoint[" + base() + (hasCredentials() ? ", user " + username : "") + "]";
  }
}
