package io.edgewhisk.sync.pull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Which central documents are this device's: an {@code _id} under a served namespace ({@code ns/…}; none
 * configured means every namespace), and for entities the {@code edge-fleet} annotation — a list of labels,
 * a single label, or {@code "*"} — naming one of the device's labels. Entities without the annotation are
 * taken only with {@code pull-unlabelled}.
 */
public record FleetFilter(Set<String> namespaces, Set<String> labels, boolean pullUnlabelled) {
  public static final String ANNOTATION = "edge-fleet";

  public FleetFilter {
    namespaces = Set.copyOf(namespaces);
    labels = Set.copyOf(labels);
  }

  /** Whether the namespace is served here. */
  public boolean serves(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }

  /** The namespace of an entity document id {@code ns/[pkg/]name}, or null for an id of another shape. */
  public static String namespaceOf(String id) {
    int slash = id.indexOf('/');
    return slash <= 0 ? null : id.substring(0, slash);
  }

  /** Whether the document id lies in a served namespace (the gateway's stand-in for a server-side filter). */
  public boolean servesId(String id) {
    String ns = namespaceOf(id);
    return ns != null && serves(ns);
  }

  /** Whether the entity document's annotations send it to this device. */
  public boolean matches(JsonObject doc) {
    Object value = annotation(doc.getValue("annotations"));
    if (value == null) {
      return pullUnlabelled;
    }
    List<?> wanted = value instanceof JsonArray a ? a.getList() : List.of(value);
    for (Object w : wanted) {
      if ("*".equals(w) || (w instanceof String s && labels.contains(s))) {
        return true;
      }
    }
    return false;
  }

  private static Object annotation(Object annotations) {
    if (annotations instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof JsonObject kv && ANNOTATION.equals(kv.getString("key"))) {
          return kv.getValue("value");
        }
      }
    }
    return null;
  }
}
