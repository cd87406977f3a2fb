package io.edgewhisk.model;

/** The four kinds of entity OpenWhisk stores, with the words its routes and documents use for them. */
public enum EntityType {
  ACTION("actions", "action"),
  PACKAGE("packages", "package"),
  TRIGGER("triggers", "trigger"),
  RULE("rules", "rule");

  private final String collection;
  private final String word;

  EntityType(String collection, String word) {
    this.collection = collection;
    this.word = word;
  }

  /** The route segment: {@code actions}, {@code packages}, … */
  public String collection() {
    return collection;
  }

  /** The document's {@code entityType}: {@code action}, {@code package}, … */
  public String word() {
    return word;
  }

  public static EntityType fromWord(String word) {
    for (EntityType t : values()) {
      if (t.word.equals(word)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown entity type " + word);
  }
}
