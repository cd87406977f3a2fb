package io.edgewhisk.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which methods the API's routes answer on a path, read off the mounted router: a request whose path
 * is known but whose method is not answers 405 with {@code Allow}. Every GET route also answers HEAD
 * (Vert.x sends a HEAD response's headers without its body).
 */
final class MethodTable {
  private record Entry(Pattern path, Set<HttpMethod> methods) {}

  private final List<Entry> entries = new ArrayList<>();

  /** Reads the routes mounted so far and makes each GET route answer HEAD too. */
  MethodTable(Router router) {
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> methods = route.methods();
      if (methods == null || methods.isEmpty() || route.getName() == null) {
        continue;
      }
      if (methods.contains(HttpMethod.GET)) {
        route.method(HttpMethod.HEAD);
      }
      String name = route.getName();
      entries.add(new Entry(route.isRegexPath() ? Pattern.compile(name) : Pattern.compile(Pattern.quote(name)), route.methods()));
    }
  }

  /** The methods answered on this path, as an {@code Allow} value; null when no route has the path. */
  String allowed(String path) {
    Set<String> names = new TreeSet<>();
    for (Entry e : entries) {
      if (e.path().matcher(path).matches()) {
        e.methods().forEach(m -> names.add(m.name()));
      }
    }
    return names.isEmpty() ? null : String.join(", ", names);
  }
}
