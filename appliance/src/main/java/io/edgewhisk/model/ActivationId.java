package io.edgewhisk.model;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** An activation id: 32 lower-case hex digits, as OpenWhisk makes them. */
public record ActivationId(String value) {
  private static final Pattern FORM = Pattern.compile("[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public ActivationId {
    Objects.requireNonNull(value, "value");
    if (!FORM.matcher(value).matches()) {
      throw WhiskException.badRequest("The activation id is not valid: '" + truncate(value) + "'.");
    }
  }

  public static ActivationId random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return new ActivationId(HexFormat.of().formatHex(bytes));
  }

  public static boolean isValid(String value) {
    return value != null && FORM.matcher(value).matches();
  }

  @Override
  public String toString() {
    return value;
  }

  private static String truncate(String v) {
    return v.length() > 40 ? v.substring(0, 40) + "…" : v;
  }
}
