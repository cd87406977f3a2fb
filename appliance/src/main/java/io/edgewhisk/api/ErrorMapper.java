package io.edgewhisk.api;

import io.edgewhisk.model.WhiskException;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes an HTTP answer: {@code {"error": message, "code": transaction id}}
 * with OpenWhisk's status and words. Anything unexpected is a 500 whose cause goes to the log only.
 */
final class ErrorMapper implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
  private static final String MALFORMED = "The request content was malformed";
  private final long maxBodyBytes;

  ErrorMapper(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    WhiskException e = translate(ctx);
    if (e.status() >= 500 && e.getCause() != null) {
      LOG.error("request {} {} failed [tid {}]", ctx.request().method(), ctx.request().path(), TransactionIds.of(ctx), e.getCause());
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (e.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"OpenWhisk secure realm\"");
    }
    ctx.response().putHeader("X-Request-ID", TransactionIds.of(ctx));
    Replies.json(ctx, e.status(), new JsonObject().put("error", e.getMessage()).put("code", TransactionIds.of(ctx)));
  }

  private WhiskException translate(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof WhiskException w) {
      return w;
    }
    if (failure instanceof DecodeException d) {
      // our own JSON reader words its messages for clients; anything else may quote a library
      String m = d.getMessage();
      return WhiskException.badRequest(m != null && m.startsWith(MALFORMED) && m.length() < 300 ? m : MALFORMED + ".");
    }
    int status = failure instanceof HttpException h ? h.getStatusCode() : failure == null ? ctx.statusCode() : 500;
    return switch (status) {
      case 400 -> WhiskException.badRequest(MALFORMED + ".");
      case 401 -> WhiskException.unauthorized();
      case 404 -> WhiskException.notFound();
      case 405 -> new WhiskException(405, "HTTP method not allowed, supported methods: " + allowed(ctx));
      case 413 -> WhiskException.tooLarge(contentLength(ctx), maxBodyBytes);
      case 415 -> new WhiskException(415, "The request's Content-Type is not supported. Expected:\napplication/json");
      default -> status >= 400 && status < 500
          ? new WhiskException(status, "The request could not be processed.")
          : WhiskException.internal("An internal error occurred.", failure);
    };
  }

  private static String allowed(RoutingContext ctx) {
    String allow = ctx.response().headers().get("Allow");
    return allow == null ? "GET, PUT, POST, DELETE" : allow;
  }

  private long contentLength(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.request().getHeader("Content-Length"));
    } catch (RuntimeException e) {
      return maxBodyBytes + 1;
    }
  }

}
