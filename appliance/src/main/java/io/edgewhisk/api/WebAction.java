package io.edgewhisk.api;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An exported action found through a web URL: who it runs as (its namespace's owner), the name it was
 * asked by, the action, and the parameters it runs with; with the meaning of its web annotations.
 */
record WebAction(Identity owner, FullyQualifiedName name, Action action, KeyValues parameters) {
  static final String WEB_EXPORT = "web-export";
  static final String RAW_HTTP = "raw-http";
  static final String CUSTOM_OPTIONS = "web-custom-options";
  static final String REQUIRE_WHISK_AUTH = "require-whisk-auth";
  static final String FINAL = "final";

  WebAction {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(parameters, "parameters");
  }

  boolean rawHttp() {
    return action.annotations().isTrue(RAW_HTTP);
  }

  /** The action answers OPTIONS itself (and sets its own CORS headers). */
  boolean customOptions() {
    return action.annotations().isTrue(CUSTOM_OPTIONS);
  }

  /**
   * Whether a request may invoke the action under {@code require-whisk-auth}: absent lets anyone in,
   * {@code true} wants valid OpenWhisk credentials ({@code user}), a string or number wants the header
   * {@code X-Require-Whisk-Auth} to equal it. Any other value (even {@code false}) lets nobody in, as in
   * OpenWhisk.
   */
  boolean admits(Identity user, String requireWhiskAuthHeader) {
    KeyValues annotations = action.annotations();
    if (!annotations.has(REQUIRE_WHISK_AUTH)) {
      return true;
    }
    Object required = annotations.get(REQUIRE_WHISK_AUTH);
    if (Boolean.TRUE.equals(required)) {
      return user != null;
    }
    String secret = required instanceof String s ? s
        : required instanceof Number n ? new BigDecimal(n.toString()).toPlainString() : null;
    return secret != null && requireWhiskAuthHeader != null
        // constant time: how long the comparison takes must not tell how much of the secret was guessed
        && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), requireWhiskAuthHeader.getBytes(StandardCharsets.UTF_8));
  }

  /** With {@code final: true}, the parameters that have a value may not be overridden by a request. */
  Set<String> finalParameters() {
    if (!action.annotations().isTrue(FINAL)) {
      return Set.of();
    }
    Set<String> names = new HashSet<>();
    for (KeyValue kv : parameters.entries()) {
      if (kv.value() != null) {
        names.add(kv.key());
      }
    }
    return names;
  }
}
