package io.edgewhisk.api;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * HTTP Basic authentication with a namespace's {@code uuid:key}, answered from the subject cache so
 * that it costs no query. Puts the caller's {@link Identity} into the routing context.
 */
final class BasicAuth implements Handler<RoutingContext> {
  static final String KEY = "edgewhisk.identity";
  private final SubjectStore subjects;

  BasicAuth(SubjectStore subjects) {
    this.subjects = Objects.requireNonNull(subjects, "subjects");
  }

  @Override
  public void handle(RoutingContext ctx) {
    Identity who = authenticate(ctx.request().getHeader("Authorization"));
    ctx.put(KEY, who);
    ctx.next();
  }

  /** The identity of these credentials; fails with 401 when they are missing or wrong. */
  Identity authenticate(String header) {
    if (header == null) {
      throw new WhiskException(401, "The resource requires authentication, which was not supplied with the request");
    }
    if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw WhiskException.unauthorized();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw WhiskException.unauthorized();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw WhiskException.unauthorized();
    }
    Identity who = subjects.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
    if (who == null) {
      throw WhiskException.unauthorized();
    }
    return who;
  }

  static Identity identity(RoutingContext ctx) {
    return Objects.requireNonNull(ctx.get(KEY), "no identity: route is not behind BasicAuth");
  }
}
