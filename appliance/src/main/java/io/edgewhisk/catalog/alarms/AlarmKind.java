package io.edgewhisk.catalog.alarms;

/** The three feeds of {@code /whisk.system/alarms}, by the word stored with each schedule. */
public enum AlarmKind {
  /** {@code alarms/alarm}: fires on a cron schedule. */
  CRON("cron", "alarms/alarm"),
  /** {@code alarms/once}: fires once, at a date. */
  ONCE("once", "alarms/once"),
  /** {@code alarms/interval}: fires every so many minutes from a start date. */
  INTERVAL("interval", "alarms/interval");

  private final String word;
  private final String builtinName;

  AlarmKind(String word, String builtinName) {
    this.word = word;
    this.builtinName = builtinName;
  }

  public String word() {
    return word;
  }

  /** The builtin action's name, which is also its path in {@code /whisk.system}. */
  public String builtinName() {
    return builtinName;
  }

  public static AlarmKind fromWord(String word) {
    for (AlarmKind k : values()) {
      if (k.word.equals(word)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown alarm kind " + word);
  }
}
