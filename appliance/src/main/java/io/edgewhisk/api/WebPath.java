package io.edgewhisk.api;

import io.edgewhisk.model.EntityName;
import io.edgewhisk.model.FullyQualifiedName;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a web action URL names: {@code /api/v1/web/{ns}/{pkg|default}/{action}[.ext][/rest…]}. The
 * extension picks how the result is answered ({@code .http} when none is given, as OpenWhisk does), and
 * the rest of the path after it goes to the action as {@code __ow_path}.
 */
record WebPath(FullyQualifiedName action, WebMedia media, String rest) {
  static final String PREFIX = "/api/v1/web/";
  /** The package segment meaning "no package". */
  static final String DEFAULT_PACKAGE = "default";

  WebPath {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(rest, "rest");
  }

  /** Parses the raw (still percent-encoded) request path; null when it names no action. */
  static WebPath parse(String rawPath) {
    if (rawPath == null || !rawPath.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = rawPath.substring(PREFIX.length()).split("/", 4);
    if (parts.length < 3) {
      return null;
    }
    String ns = decode(parts[0]);
    String pkg = decode(parts[1]);
    String nameWithExtension = decode(parts[2]);
    if (ns == null || pkg == null || nameWithExtension == null) {
      return null;
    }
    WebMedia media = WebMedia.forName(nameWithExtension);
    String name = nameWithExtension.endsWith(media.extension())
        ? nameWithExtension.substring(0, nameWithExtension.length() - media.extension().length())
        : nameWithExtension;
    if (!EntityName.isValid(ns) || !EntityName.isValid(pkg) || !EntityName.isValid(name)) {
      return null;
    }
    FullyQualifiedName fqn = new FullyQualifiedName(ns, DEFAULT_PACKAGE.equals(pkg) ? null : pkg, name);
    // OpenWhisk hands the action the unmatched path as it was sent, slash included
    return new WebPath(fqn, media, parts.length == 4 ? "/" + parts[3] : "");
  }

  /** A path segment's percent-decoding ({@code +} stays a plus in a path); null when malformed. */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
