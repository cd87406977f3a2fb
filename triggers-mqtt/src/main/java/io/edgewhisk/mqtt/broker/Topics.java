package io.edgewhisk.mqtt.broker;

/**
 * MQTT's rules for topic names and topic filters (MQTT 5.0 §4.7): validation and matching. A topic
 * starting with {@code $} is not matched by a filter whose first level is a wildcard, so {@code #} never
 * sees {@code $SYS/...}.
 */
public final class Topics {
  /** The prefix of a shared subscription's filter, {@code $share/GROUP/FILTER}. */
  public static final String SHARE_PREFIX = "$share/";

  private Topics() {}

  /** A topic name a client may publish to: not empty, no wildcard, no NUL. */
  public static boolean isValidTopicName(String topic) {
    if (topic == null || topic.isEmpty() || topic.length() > 65535) {
      return false;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#' || c == 0) {
        return false;
      }
    }
    return true;
  }

  /** A topic filter: {@code #} only as the whole last level, {@code +} only as a whole level. */
  public static boolean isValidFilter(String filter) {
    if (filter == null || filter.isEmpty() || filter.indexOf(0) >= 0) {
      return false;
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return false;
      }
      if (level.contains("+") && !level.equals("+")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code filter} matches {@code topic}; both must be valid. */
  public static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length) {
        return false;
      }
      if (!f[i].equals("+") && !f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }

  /** Whether some topic matches both filters (both valid, neither shared). */
  public static boolean overlap(String a, String b) {
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      if (i < x.length && x[i].equals("#") || i < y.length && y[i].equals("#")) {
        return !(i == 0 && (startsWithDollar(x[0]) || startsWithDollar(y[0])));
      }
      if (i >= x.length || i >= y.length) {
        return false;
      }
      if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
        return false;
      }
      if (i == 0 && (x[0].equals("+") && startsWithDollar(y[0]) || y[0].equals("+") && startsWithDollar(x[0]))) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWithDollar(String level) {
    return level.startsWith("$");
  }

  /** A parsed {@code $share/GROUP/FILTER}, or null when {@code filter} is not a shared subscription. */
  public static Shared parseShared(String filter) {
    if (!filter.startsWith(SHARE_PREFIX)) {
      return null;
    }
    int slash = filter.indexOf('/', SHARE_PREFIX.length());
    if (slash < 0) {
      return new Shared("", "");
    }
    return new Shared(filter.substring(SHARE_PREFIX.length(), slash), filter.substring(slash + 1));
  }

  /** A shared subscription's group and the filter it shares. */
  public record Shared(String group, String filter) {
    /** A group name is one level without wildcards, and the filter a valid one. */
    public boolean valid() {
      return !group.isEmpty() && group.indexOf('/') < 0 && group.indexOf('+') < 0 && group.indexOf('#') < 0
          && isValidFilter(filter);
    }
  }
}
