package io.edgewhisk.api;

import io.edgewhisk.controller.InvocationOutcome;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code ANY /api/v1/web/{ns}/{pkg|default}/{action}[.ext][/path]}: OpenWhisk's web actions, open to
 * anonymous callers. Request bodies are bounded by the payload limit (413 beyond). Unless the action
 * answers OPTIONS itself ({@code web-custom-options}), every answer after the action is found carries
 * OpenWhisk's CORS headers and OPTIONS is answered here.
 */
final class WebRoutes implements Routes {
  static final String ACTIVATION_ID_HEADER = "x-openwhisk-activation-id";
  static final String REQUIRE_WHISK_AUTH_HEADER = "X-Require-Whisk-Auth";
  static final String ALLOWED_METHODS = "OPTIONS, GET, DELETE, POST, PUT, HEAD, PATCH";
  static final String ALLOWED_HEADERS = "Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent";
  private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.OPTIONS, HttpMethod.GET, HttpMethod.DELETE,
      HttpMethod.POST, HttpMethod.PUT, HttpMethod.HEAD, HttpMethod.PATCH);
  private static final String PATH_KEY = "edgewhisk.web.path";
  private final WebActions web;
  private final BasicAuth auth;
  private final long maxPayloadBytes;
  private final RequestBody body;

  WebRoutes(WebActions web, SubjectStore subjects, long maxPayloadBytes, RequestBody body) {
    this.web = Objects.requireNonNull(web, "web");
    this.auth = new BasicAuth(subjects);
    this.maxPayloadBytes = maxPayloadBytes;
    this.body = Objects.requireNonNull(body, "body");
  }

  @Override
  public void mount(Router router) {
    String path = WebPath.PREFIX + ".*";
    router.routeWithRegex(path).handler(this::accept);
    router.routeWithRegex(path).handler(body);
    router.routeWithRegex(path).handler(this::handle);
    // the 413 of a web request names the payload limit, not the API's larger body limit
    router.routeWithRegex(path).failureHandler(new ErrorMapper(maxPayloadBytes));
  }

  /** Refuses, before reading any body, what cannot be a web action request. */
  private void accept(RoutingContext ctx) {
    if (!METHODS.contains(ctx.request().method())) {
      ctx.response().putHeader("Allow", ALLOWED_METHODS);
      ctx.fail(new WhiskException(405, "HTTP method not allowed, supported methods: " + ALLOWED_METHODS));
      return;
    }
    // dot segments resolved (RFC 3986 §5.2.4), so that "a/../b" reaches the action as "b"
    WebPath path = WebPath.parse(ctx.normalizedPath());
    if (path == null) {
      ctx.fail(WhiskException.notFound());
      return;
    }
    ctx.put(PATH_KEY, path);
    ctx.next();
  }

  private void handle(RoutingContext ctx) {
    WebPath path = ctx.get(PATH_KEY);
    web.find(path.action()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      try {
        serve(ctx, path, ar.result());
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  private void serve(RoutingContext ctx, WebPath path, WebAction action) {
    boolean options = ctx.request().method() == HttpMethod.OPTIONS;
    if (!action.customOptions()) {
      cors(ctx);
      if (options) {
        ctx.response().setStatusCode(200).end();
        return;
      }
    }
    Identity user = caller(ctx);
    // an action answering OPTIONS itself is asked even by an unauthenticated caller (CORS preflights carry no credentials)
    if (!(options && action.customOptions()) && !action.admits(user, ctx.request().getHeader(REQUIRE_WHISK_AUTH_HEADER))) {
      throw WhiskException.unauthorized();
    }
    JsonObject payload = WebArguments.of(ctx.request(), RequestBody.of(ctx), () -> RequestBody.json(ctx), path.rest(), user, action.rawHttp(),
        action.finalParameters());
    web.invoke(action, payload).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      try {
        answer(ctx, path.media(), ar.result());
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  private static void answer(RoutingContext ctx, WebMedia media, InvocationOutcome outcome) {
    HttpServerResponse response = ctx.response();
    response.putHeader(ACTIVATION_ID_HEADER, outcome.activationId().value());
    if (outcome instanceof InvocationOutcome.Completed done) {
      write(response, media.answer(done.activation().response()), ctx.request().method() == HttpMethod.HEAD);
      return;
    }
    // still running when the wait ran out: OpenWhisk's 202, with the id to fetch the result by
    Replies.json(ctx, 202, new JsonObject()
        .put("error", "Response not yet ready.")
        .put("code", TransactionIds.of(ctx))
        .put("activationId", outcome.activationId().value()));
  }

  private static void write(HttpServerResponse response, WebReply reply, boolean head) {
    response.setStatusCode(reply.status());
    for (Map.Entry<String, String> h : reply.headers()) {
      if (h.getKey().regionMatches(true, 0, "Access-Control-", 0, 15)) {
        // the action's own CORS headers replace the defaults
        response.headers().remove(h.getKey());
      }
    }
    for (Map.Entry<String, String> h : reply.headers()) {
      response.headers().add(h.getKey(), h.getValue());
    }
    if (head) {
      // HEAD: the headers a GET would have, and no body
      response.putHeader("Content-Length", String.valueOf(reply.body().length())).end();
    } else {
      response.end(reply.body());
    }
  }

  private static void cors(RoutingContext ctx) {
    String requested = ctx.request().getHeader("Access-Control-Request-Headers");
    ctx.response()
        .putHeader("Access-Control-Allow-Origin", "*")
        .putHeader("Access-Control-Allow-Methods", ALLOWED_METHODS)
        .putHeader("Access-Control-Allow-Headers", requested != null ? requested : ALLOWED_HEADERS);
  }

  /** The caller when it sent valid OpenWhisk credentials; wrong or no credentials make an anonymous caller. */
  private Identity caller(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null) {
      return null;
    }
    try {
      return auth.authenticate(header);
    } catch (WhiskException e) {
      return null;
    }
  }
}
