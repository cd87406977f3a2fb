package io.edgewhisk.mqtt.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The topic index: a tree of topic levels whose nodes hold the subscriptions of the filter that ends there,
 * so a PUBLISH visits only the branches its topic can match ({@code +} and {@code #} children included).
 * Confined to the broker's event loop.
 */
public final class SubscriptionIndex {
  private final Node root = new Node(null, null);
  private int size;

  public int size() {
    return size;
  }

  /** Adds or replaces the subscription of its client to its filter (shared: within its group). */
  public void add(Subscription s) {
    Node node = root;
    for (String level : s.filter().split("/", -1)) {
      node = node.child(level);
    }
    Map<String, Subscription> members = s.shareGroup() == null
        ? node.subscribers : node.groups.computeIfAbsent(s.shareGroup(), g -> new LinkedHashMap<>());
    if (members.put(s.clientId(), s) == null) {
      size++;
    }
  }

  /** Removes the subscription; answers whether there was one. */
  public boolean remove(Subscription s) {
    Node node = root;
    for (String level : s.filter().split("/", -1)) {
      node = node.children.get(level);
      if (node == null) {
        return false;
      }
    }
    boolean removed;
    if (s.shareGroup() == null) {
      removed = node.subscribers.remove(s.clientId()) != null;
    } else {
      Map<String, Subscription> members = node.groups.get(s.shareGroup());
      removed = members != null && members.remove(s.clientId()) != null;
      if (members != null && members.isEmpty()) {
        node.groups.remove(s.shareGroup());
      }
    }
    if (removed) {
      size--;
      node.prune();
    }
    return removed;
  }

  /**
   * Visits every subscription whose filter matches {@code topic}: ordinary ones one by one, each shared
   * group once with all its members (the caller picks one member).
   */
  public void match(String topic, Consumer<Subscription> ordinary, Consumer<Map<String, Subscription>> shared) {
    String[] levels = topic.split("/", -1);
    boolean dollar = topic.startsWith("$");
    match(root, levels, 0, dollar, ordinary, shared);
  }

  private static void match(Node node, String[] levels, int depth, boolean dollar,
                            Consumer<Subscription> ordinary, Consumer<Map<String, Subscription>> shared) {
    boolean wildcardsAllowed = !(dollar && depth == 0);
    if (wildcardsAllowed) {
      Node hash = node.children.get("#");
      if (hash != null) {
        hash.visit(ordinary, shared);
      }
    }
    if (depth == levels.length) {
      node.visit(ordinary, shared);
      return;
    }
    Node exact = node.children.get(levels[depth]);
    if (exact != null) {
      match(exact, levels, depth + 1, dollar, ordinary, shared);
    }
    if (wildcardsAllowed) {
      Node plus = node.children.get("+");
      if (plus != null) {
        match(plus, levels, depth + 1, dollar, ordinary, shared);
      }
    }
  }

  /** Every subscription of the index (for tests and $SYS). */
  public List<Subscription> all() {
    List<Subscription> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(Node node, List<Subscription> out) {
    out.addAll(node.subscribers.values());
    node.groups.values().forEach(g -> out.addAll(g.values()));
    node.children.values().forEach(c -> collect(c, out));
  }

  private static final class Node {
    final Node parent;
    final String level;
    final Map<String, Node> children = new HashMap<>(4);
    final Map<String, Subscription> subscribers = new LinkedHashMap<>(2);
    final Map<String, Map<String, Subscription>> groups = new HashMap<>(1);

    Node(Node parent, String level) {
      this.parent = parent;
      this.level = level;
    }

    Node child(String name) {
      return children.computeIfAbsent(name, n -> new Node(this, n));
    }

    void visit(Consumer<Subscription> ordinary, Consumer<Map<String, Subscription>> shared) {
      subscribers.values().forEach(ordinary);
      groups.values().forEach(shared);
    }

    /** Drops empty nodes up the tree, so unsubscribed filters leave nothing behind. */
    void prune() {
      Node node = this;
      while (node.parent != null && node.subscribers.isEmpty() && node.groups.isEmpty() && node.children.isEmpty()) {
        node.parent.children.remove(node.level);
        node = node.parent;
      }
    }
  }
}
