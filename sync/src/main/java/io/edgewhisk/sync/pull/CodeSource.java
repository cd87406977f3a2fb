package io.edgewhisk.sync.pull;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where an action document's code is, as OpenWhisk's {@code exec.code} says: inline text (old documents),
 * in the attachment name itself ({@code mem:<base64url>}), in a CouchDB attachment of the document
 * ({@code couch:<uuid>}, or a legacy name without a scheme such as {@code codefile}), or in an external
 * store ({@code s3:}, {@code az:}) that a gateway cannot reach.
 */
public sealed interface CodeSource {

  /** The bytes are here already. */
  record Inline(byte[] bytes) implements CodeSource {}

  /** The bytes are the document's attachment {@code name}. */
  record Attachment(String name) implements CodeSource {}

  /** Kept in a store the gateway does not speak. */
  record External(String scheme) implements CodeSource {}

  /** No code (a blackbox image without a zip). */
  record None() implements CodeSource {}

  static CodeSource of(Object code) {
    if (code == null) {
      return new None();
    }
    if (code instanceof String text) {
      return new Inline(text.getBytes(StandardCharsets.UTF_8));
    }
    if (!(code instanceof JsonObject ref) || !(ref.getValue("attachmentName") instanceof String name)) {
      throw new MalformedDocumentException("exec.code is neither a string nor an attachment reference");
    }
    int colon = name.indexOf(':');
    String scheme = colon < 0 ? "" : name.substring(0, colon);
    return switch (scheme) {
      case "mem" -> new Inline(decode(name.substring(colon + 1)));
      case "couch" -> new Attachment(name.substring(colon + 1));
      case "" -> new Attachment(name);
      default -> new External(scheme);
    };
  }

  private static byte[] decode(String base64url) {
    try {
      return Base64.getUrlDecoder().decode(base64url);
    } catch (IllegalArgumentException e) {
      // OpenWhisk's encoder pads; some writers use the standard alphabet: accept both
      try {
        return Base64.getDecoder().decode(base64url);
      } catch (IllegalArgumentException again) {
        throw new MalformedDocumentException("the mem: attachment name is not base64: " + e.getMessage());
      }
    }
  }
}
