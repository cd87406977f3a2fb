package io.edgewhisk.model;

import java.util.Objects;

/**
 * Who a request acts as: the subject that owns {@code namespace}, the namespace's {@code uuid:key}
 * credentials, and its limits (already merged with the system defaults).
 */
public record Identity(String subject, String namespace, String uuid, String key, NamespaceLimits limits) {
  public Identity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(limits, "limits");
  }

  /** The {@code uuid:key} form clients send as HTTP Basic credentials and actions get as {@code __OW_API_KEY}. */
  public String authKey() {
    return uuid + ":" + key;
  }

  @Override
  public String toString() {
    // never print the key
    return "Identity[subject=" + subject + ", namespace=" + namespace + ", uuid=" + uuid + "]";
  }
}
