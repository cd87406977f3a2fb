package io.edgewhisk.sync.pull;

/**
 * The kinds of central entity document, in the order a batch applies them: what others refer to first
 * (packages before their bindings and actions, actions before sequences and rules, triggers before rules).
 */
public enum EntityKind {
  PACKAGE("packages"),
  BINDING("packages"),
  ACTION("actions"),
  SEQUENCE("actions"),
  TRIGGER("triggers"),
  RULE("rules");

  private final String collection;

  EntityKind(String collection) {
    this.collection = collection;
  }

  /** The SPI's (and the REST API's) collection name. */
  public String collection() {
    return collection;
  }
}
