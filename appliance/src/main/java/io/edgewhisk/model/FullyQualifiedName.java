package io.edgewhisk.model;

import java.util.Objects;

/**
 * The full name of an entity: {@code namespace[/package]/name}. For a package itself, {@code pkg} is null
 * and {@code name} is the package's name.
 */
public record FullyQualifiedName(String namespace, String pkg, String name) {
  public FullyQualifiedName {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static FullyQualifiedName of(String namespace, String name) {
    return new FullyQualifiedName(namespace, null, name);
  }

  /** From OpenWhisk's {@code {path, name}} form, where {@code path} is {@code ns} or {@code ns/pkg}. */
  public static FullyQualifiedName ofPath(String path, String name) {
    int slash = path.indexOf('/');
    return slash < 0 ? of(path, name) : new FullyQualifiedName(path.substring(0, slash), path.substring(slash + 1), name);
  }

  /** From a document id {@code ns/name} or {@code ns/pkg/name}. */
  public static FullyQualifiedName ofId(String id) {
    int last = id.lastIndexOf('/');
    if (last < 0) {
      throw new IllegalArgumentException("not an entity id: " + id);
    }
    return ofPath(id.substring(0, last), id.substring(last + 1));
  }

  /** The path part OpenWhisk shows in an entity's {@code namespace} field: {@code ns} or {@code ns/pkg}. */
  public String path() {
    return pkg == null ? namespace : namespace + "/" + pkg;
  }

  /** The document id: {@code ns/name} or {@code ns/pkg/name}. */
  @Override
  public String toString() {
    return path() + "/" + name;
  }

  /** The name of the package this entity lives in, as a name of its own, or null. */
  public FullyQualifiedName packageName() {
    return pkg == null ? null : of(namespace, pkg);
  }

  /**
   * Parses {@code /ns/name}, {@code /ns/pkg/name}, {@code ns/pkg/name} or, relative to a default namespace,
   * {@code name} and {@code pkg/name} as clients write them (e.g. sequence components, rule targets).
   */
  public static FullyQualifiedName parse(String reference, String defaultNamespace) {
    if (reference == null || reference.isBlank()) {
      throw WhiskException.badRequest("The entity name is missing.");
    }
    boolean absolute = reference.startsWith("/");
    String[] parts = (absolute ? reference.substring(1) : reference).split("/", -1);
    FullyQualifiedName fqn;
    if (absolute) {
      fqn = switch (parts.length) {
        case 2 -> of(parts[0], parts[1]);
        case 3 -> new FullyQualifiedName(parts[0], parts[1], parts[2]);
        default -> throw WhiskException.badRequest("The fully qualified name is not valid: '" + reference + "'.");
      };
    } else {
      fqn = switch (parts.length) {
        case 1 -> of(defaultNamespace, parts[0]);
        case 2 -> new FullyQualifiedName(defaultNamespace, parts[0], parts[1]);
        case 3 -> new FullyQualifiedName(parts[0], parts[1], parts[2]);
        default -> throw WhiskException.badRequest("The fully qualified name is not valid: '" + reference + "'.");
      };
    }
    EntityName.require(fqn.namespace, "namespace");
    if (fqn.pkg != null) {
      EntityName.require(fqn.pkg, "package");
    }
    EntityName.require(fqn.name, "entity");
    return fqn;
  }

  /** With an explicit namespace, as OpenWhisk prints references: {@code /ns/pkg/name}. */
  public String absolute() {
    return "/" + this;
  }
}
