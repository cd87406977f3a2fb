package io.edgewhisk.catalog;

import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.spi.CatalogAction;
import io.edgewhisk.spi.CatalogPackage;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The packages and actions of the built-in catalog as they should be stored, read from the resources
 * {@code catalog/catalog.json} (names, annotations as OpenWhisk's catalog declares them) and
 * {@code catalog/utils/*.js}. Actions whose {@code runtime} is {@code nodejs} get the configured Node.js kind;
 * {@code builtin} ones run inside the appliance (exec kind {@value BuiltinAction#KIND}, code = their name).
 */
public final class CatalogDefinitions {
  public static final String NAMESPACE = "whisk.system";
  static final String RESOURCES = "catalog/";

  private final List<WhiskEntity> entities;

  private CatalogDefinitions(List<WhiskEntity> entities) {
    this.entities = List.copyOf(entities);
  }

  /** Reads the resources (blocking, small: call it at start-up), without plugins' packages. */
  public static CatalogDefinitions load(String nodejsKind) {
    return load(nodejsKind, List.of());
  }

  /** Reads the resources and adds the plugins' {@code contributed} packages (blocking, small). */
  public static CatalogDefinitions load(String nodejsKind, List<CatalogPackage> contributed) {
    Objects.requireNonNull(nodejsKind, "nodejsKind");
    JsonObject manifest = new JsonObject(resource(RESOURCES + "catalog.json"));
    List<WhiskEntity> out = new ArrayList<>();
    for (Object p : manifest.getJsonArray("packages")) {
      JsonObject pkg = (JsonObject) p;
      String pkgName = pkg.getString("name");
      out.add(new WhiskPackage(FullyQualifiedName.of(NAMESPACE, pkgName), SemVer.INITIAL, true, null,
          KeyValues.EMPTY, KeyValues.fromObject(pkg.getJsonObject("annotations")), 0));
      for (Object a : pkg.getJsonArray("actions")) {
        out.add(action(pkgName, (JsonObject) a, nodejsKind));
      }
    }
    for (CatalogPackage pkg : contributed) {
      out.add(new WhiskPackage(FullyQualifiedName.of(NAMESPACE, pkg.name()), SemVer.INITIAL, true, null,
          KeyValues.EMPTY, KeyValues.fromObject(pkg.annotations()), 0));
      pkg.actions().forEach(a -> out.add(contributed(pkg.name(), a)));
    }
    return new CatalogDefinitions(out);
  }

  /** A plugin's action: runs in the appliance (exec kind builtin, code = package/action); a feed is annotated so. */
  private static Action contributed(String pkg, CatalogAction a) {
    Exec.Code exec = new Exec.Code(BuiltinAction.KIND, pkg + "/" + a.name(), false, null, null);
    KeyValues annotations = KeyValues.fromObject(a.annotations());
    if (a.feed()) {
      annotations = annotations.with("feed", true);
    }
    annotations = annotations.with("provide-api-key", false).with("exec", exec.kind());
    return new Action(new FullyQualifiedName(NAMESPACE, pkg, a.name()), SemVer.INITIAL, true, exec,
        KeyValues.EMPTY, annotations, ActionLimits.DEFAULT, 0);
  }

  private static Action action(String pkg, JsonObject a, String nodejsKind) {
    String runtime = a.getString("runtime");
    Exec.Code exec = switch (runtime) {
      case "nodejs" -> new Exec.Code(nodejsKind, resource(RESOURCES + a.getString("code")), false, null, null);
      case "builtin" -> new Exec.Code(BuiltinAction.KIND, a.getString("code"), false, null, null);
      default -> throw new IllegalStateException("catalog.json: unknown runtime " + runtime);
    };
    KeyValues annotations = KeyValues.fromObject(a.getJsonObject("annotations"))
        .with("provide-api-key", false)
        .with("exec", exec.kind());
    return new Action(new FullyQualifiedName(NAMESPACE, pkg, a.getString("name")), SemVer.INITIAL, true, exec,
        KeyValues.EMPTY, annotations, ActionLimits.DEFAULT, 0);
  }

  /** Every package and action, packages before their actions, all at version 0.0.1 and updated 0. */
  public List<WhiskEntity> entities() {
    return entities;
  }

  /** The names of the packages. */
  public List<FullyQualifiedName> packages() {
    return entities.stream().filter(e -> e instanceof WhiskPackage).map(WhiskEntity::fqn).toList();
  }

  static String resource(String name) {
    try (InputStream in = CatalogDefinitions.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
