package io.edgewhisk.log;

import java.util.Objects;
import java.util.regex.Pattern;

/** The name of a topic of the embedded log; it is also the name of the topic's directory. */
public record Topic(String name) {
  // before the constants below, which need it
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** Non-blocking invocations waiting for the invoker. */
  public static final Topic INVOKE = new Topic("invoke");
  /** Finished activation records, for fleet sync. */
  public static final Topic ACTIVATIONS = new Topic("activations");

  public Topic {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad topic name: " + name);
    }
  }

  public static Topic of(String name) {
    return new Topic(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
