package io.edgewhisk.api;

import io.edgewhisk.model.EntityName;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads what a request names and asks: namespace, package, entity name, query flags, JSON body. */
final class Requests {
  private Requests() {}

  /** The path's namespace, with {@code _} meaning the caller's own. */
  static String namespace(RoutingContext ctx) {
    String ns = ctx.pathParam("ns");
    if ("_".equals(ns)) {
      return BasicAuth.identity(ctx).namespace();
    }
    return EntityName.require(ns, "namespace");
  }

  /** {@code ns/name} or, when the route has a package, {@code ns/pkg/name}. */
  static FullyQualifiedName entity(RoutingContext ctx) {
    String ns = namespace(ctx);
    String pkg = ctx.pathParam("pkg");
    String name = EntityName.require(ctx.pathParam("name"), "entity");
    return pkg == null ? FullyQualifiedName.of(ns, name)
        : new FullyQualifiedName(ns, EntityName.require(pkg, "package"), name);
  }

  static Identity identity(RoutingContext ctx) {
    return BasicAuth.identity(ctx);
  }

  /** A boolean query flag; absent means {@code otherwise}. */
  static boolean flag(RoutingContext ctx, String name, boolean otherwise) {
    String v = ctx.request().getParam(name);
    if (v == null) {
      return otherwise;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "" -> true;
      case "false" -> false;
      default -> throw WhiskException.badRequest("The query parameter '" + name + "' must be 'true' or 'false', was '" + cut(v) + "'.");
    };
  }

  /** An integer query parameter in a range, with OpenWhisk's words for one out of it. */
  static Integer integer(RoutingContext ctx, String name, String collection) {
    String v = ctx.request().getParam(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw WhiskException.badRequest("The value '" + cut(v) + "' is not an integer for " + collection + ".");
    }
  }

  /** A long query parameter (epoch ms). */
  static Long epoch(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw WhiskException.badRequest("Parameter is not a valid value for epoch seconds: " + cut(v));
    }
  }

  /** The body as a JSON object; an empty body is an empty object. */
  static JsonObject body(RoutingContext ctx) {
    if (RequestBody.of(ctx).length() == 0) {
      return new JsonObject();
    }
    if (!(RequestBody.json(ctx) instanceof JsonObject o)) {
      throw WhiskException.badRequest("The request content was malformed: expected a JSON object.");
    }
    return o;
  }

  static String cut(String v) {
    return v.length() > 64 ? v.substring(0, 64) + "…" : v;
  }
}
