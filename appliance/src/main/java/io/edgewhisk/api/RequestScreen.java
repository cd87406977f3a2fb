package io.edgewhisk.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The server's first look at a request, before routing: a request that is not well-formed HTTP
 * (invalid, or with both Content-Length and Transfer-Encoding), an HTTP/1.1 request without
 * {@code Host}, and a URL with invalid percent-encoding answer 400 in OpenWhisk's error shape, with no
 * stack trace in the log: they are the client's mistakes. It also tells the connection's watch when a
 * request begins and ends.
 */
final class RequestScreen implements Handler<HttpServerRequest> {
  private final Handler<HttpServerRequest> router;

  RequestScreen(Handler<HttpServerRequest> router) {
    this.router = Objects.requireNonNull(router, "router");
  }

  @Override
  public void handle(HttpServerRequest request) {
    ConnectionWatch watch = ConnectionGuard.watch(request);
    if (watch != null) {
      watch.requestBegun(request);
    }
    String problem = problem(request);
    if (problem != null) {
      refuse(request, 400, problem);
      return;
    }
    router.handle(request);
  }

  /** For requests the HTTP decoder could not make sense of. */
  void invalid(HttpServerRequest request) {
    ConnectionWatch watch = ConnectionGuard.watch(request);
    if (watch != null) {
      watch.requestBegun(request);
    }
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      refuse(request, 414, "The request URI is too long.");
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      refuse(request, 431, "The request's headers are too large.");
    } else if (cause != null && String.valueOf(cause.getMessage()).startsWith(StrictRequestDecoder.BOTH_LENGTHS)) {
      refuse(request, 400, "The request has both Content-Length and Transfer-Encoding.");
    } else {
      refuse(request, 400, "The request is not valid HTTP.");
    }
  }

  private static String problem(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_1_1 && request.headers().get("Host") == null) {
      return "The request has no Host header, which HTTP/1.1 requires.";
    }
    if (!percentEncodingValid(request.uri())) {
      return "The request URL has an invalid percent-encoding.";
    }
    return null;
  }

  /** Every {@code %} is followed by two hex digits, and what they decode to is UTF-8. */
  static boolean percentEncodingValid(String uri) {
    int i = uri.indexOf('%');
    if (i < 0) {
      return true;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int p = 0; p < uri.length(); p++) {
      char c = uri.charAt(p);
      if (c == '%') {
        if (p + 2 >= uri.length() || Character.digit(uri.charAt(p + 1), 16) < 0 || Character.digit(uri.charAt(p + 2), 16) < 0) {
          return false;
        }
        bytes.write(Character.digit(uri.charAt(p + 1), 16) * 16 + Character.digit(uri.charAt(p + 2), 16));
        p += 2;
      } else {
        bytes.write(c < 0x80 ? c : '?');
      }
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static void refuse(HttpServerRequest request, int status, String message) {
    String tid = TransactionIds.next();
    request.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Request-ID", tid)
        .putHeader("Connection", "close")
        .end(new JsonObject().put("error", message).put("code", tid).encode())
        .onComplete(ar -> request.connection().close());
  }
}
