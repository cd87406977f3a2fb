package io.edgewhisk.model;

import java.util.regex.Pattern;

/** OpenWhisk's rule for the name of a namespace, package or entity. */
public final class EntityName {
  /** {@code \A([\w]|[\w][\w@ .&-]{0,254}[\w@.&-])\z}; {@code \w} is ASCII only, as in OpenWhisk's Scala. */
  private static final Pattern VALID = Pattern.compile("\\A([\\w]|[\\w][\\w@ .&-]{0,254}[\\w@.&-])\\z");

  private EntityName() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** Returns the name, or fails with OpenWhisk's 400 for an ill-formed one. */
  public static String require(String name, String what) {
    if (!isValid(name)) {
      throw WhiskException.badRequest("The " + what + " name is not valid: " + describe(name));
    }
    return name;
  }

  private static String describe(String name) {
    if (name == null || name.isEmpty()) {
      return "the name is empty.";
    }
    return "'" + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "'.";
  }
}
