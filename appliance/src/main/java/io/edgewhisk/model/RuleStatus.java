package io.edgewhisk.model;

/** Whether a rule passes its trigger's fires on to its action. */
public enum RuleStatus {
  ACTIVE("active"),
  INACTIVE("inactive");

  private final String word;

  RuleStatus(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  public static RuleStatus fromWord(String word) {
    for (RuleStatus s : values()) {
      if (s.word.equals(word)) {
        return s;
      }
    }
    throw WhiskException.badRequest("The rule status must be 'active' or 'inactive'.");
  }
}
