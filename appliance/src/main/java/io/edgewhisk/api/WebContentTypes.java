package io.edgewhisk.api;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which media types web actions treat as text and which as binary (carried as base64), following the
 * split OpenWhisk inherits from akka-http: {@code text/*} and the textual application types are text,
 * everything else (images, octet streams, unknown types) is binary.
 */
final class WebContentTypes {
  static final String JSON = "application/json";
  static final String FORM = "application/x-www-form-urlencoded";
  private static final Pattern MEDIA_TYPE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> TEXTUAL_APPLICATION = Set.of(
      "javascript", "x-javascript", "ecmascript", "xml", "xml-dtd", "x-www-form-urlencoded", "base64", "x-sh",
      "graphql", "sql", "yaml", "x-yaml", "toml");

  private WebContentTypes() {}

  /** The media type of a Content-Type value, lower case and without parameters; null when there is none. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    String mt = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return mt.isEmpty() ? null : mt;
  }

  /** True when the value is a well-formed {@code type/subtype[; params]}. */
  static boolean isWellFormed(String contentType) {
    String mt = mediaType(contentType);
    return mt != null && MEDIA_TYPE.matcher(mt).matches();
  }

  /** {@code application/json} or any {@code +json} type. */
  static boolean isJsonFamily(String mediaType) {
    return mediaType != null && (mediaType.equals(JSON) || mediaType.endsWith("+json"));
  }

  /** Text (sent and received as a string) rather than binary (sent and received as base64). */
  static boolean isTextual(String mediaType) {
    if (mediaType == null) {
      return false;
    }
    if (mediaType.startsWith("text/") || isJsonFamily(mediaType)) {
      return true;
    }
    if (mediaType.startsWith("application/")) {
      String sub = mediaType.substring("application/".length());
      return TEXTUAL_APPLICATION.contains(sub) || sub.endsWith("+xml");
    }
    return false;
  }

  /**
   * OpenWhisk's test for a string that is base64 (as action code and legacy JSON bodies are): whole
   * groups of four from the base64 alphabet, with at most two {@code =} at the end. Written as a loop
   * because a regular expression with a repeated group overflows the stack on a megabyte of text.
   */
  static boolean looksBase64(String s) {
    String t = s.trim();
    int n = t.length();
    if (n == 0 || n % 4 != 0) {
      return false;
    }
    int padding = t.endsWith("==") ? 2 : t.endsWith("=") ? 1 : 0;
    for (int i = 0; i < n - padding; i++) {
      char c = t.charAt(i);
      boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
      if (!alphabet) {
        return false;
      }
    }
    return true;
  }
}
