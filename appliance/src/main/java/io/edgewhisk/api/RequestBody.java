package io.edgewhisk.api;

import io.edgewhisk.json.JsonLimitExceeded;
import io.edgewhisk.json.JsonTree;
import io.edgewhisk.model.WhiskException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Receives a request's body within its route's size limit and the process's {@link RequestMemory}:
 * a declared {@code Content-Length} over the limit answers 413 before anything is read, a body that
 * grows over it (chunked) answers 413 as soon as it does, and the connection is then closed so that
 * the client stops sending. With {@code jsonOnly}, a body that is not {@code application/json}
 * answers 415 as OpenWhisk's does (web actions take any content type). The memory taken is given
 * back when the response ends.
 */
final class RequestBody implements Handler<RoutingContext> {
  static final String BODY_KEY = "edgewhisk.body";
  static final String ACCOUNT_KEY = "edgewhisk.body.account";
  private static final String TREE_KEY = "edgewhisk.body.tree";
  private final ToLongFunction<RoutingContext> limit;
  private final RequestMemory memory;
  private final JsonTree tree;
  private final boolean jsonOnly;

  RequestBody(ToLongFunction<RoutingContext> limit, RequestMemory memory, JsonTree tree, boolean jsonOnly) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.tree = Objects.requireNonNull(tree, "tree");
    this.jsonOnly = jsonOnly;
  }

  /**
   * The body read as JSON under the API's limits: a body with more values than allowed answers 413
   * as soon as reading it gets there; what reading builds is charged to the request's memory.
   */
  static Object json(RoutingContext ctx) {
    Buffer body = of(ctx);
    JsonTree reader = ctx.get(TREE_KEY);
    // the strings of a document are at most its length in characters, two bytes each while read
    charge(ctx, 2L * body.length());
    ByteBuf bytes = ((BufferInternal) body).getByteBuf();
    try {
      Object value;
      if (bytes.hasArray()) {
        value = reader.read(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes(), n -> charge(ctx, n));
      } else {
        byte[] copy = body.getBytes();
        value = reader.read(copy, 0, copy.length, n -> charge(ctx, n));
      }
      return wrap(value);
    } catch (JsonLimitExceeded e) {
      throw new WhiskException(413, "Request larger than allowed: more than " + e.allowed() + " JSON " + e.limit() + ".");
    }
  }

  /** The body received for this request; an empty buffer when it had none. */
  static Buffer of(RoutingContext ctx) {
    Buffer b = ctx.get(BODY_KEY);
    return b == null ? Buffer.buffer() : b;
  }

  /** Charges the memory that reading this request's body builds; fails with 503 when none is left. */
  static void charge(RoutingContext ctx, long bytes) {
    Account account = ctx.get(ACCOUNT_KEY);
    if (account != null) {
      account.take(bytes);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object wrap(Object value) {
    if (value instanceof java.util.Map<?, ?> m) {
      return new JsonObject((java.util.Map<String, Object>) m);
    }
    return value instanceof java.util.List<?> l ? new JsonArray((java.util.List<Object>) l) : value;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (ctx.get(BODY_KEY) != null) {
      ctx.next();
      return;
    }
    long max = limit.applyAsLong(ctx);
    long declared = declaredLength(request);
    boolean hasBody = declared > 0 || (declared < 0 && request.headers().contains("Transfer-Encoding"));
    if (declared > max) {
      refuse(ctx, WhiskException.tooLarge(declared, max));
      return;
    }
    if (jsonOnly && hasBody && !isJson(request.getHeader("Content-Type"))) {
      refuse(ctx, new WhiskException(415, "The request's Content-Type is not supported. Expected:\napplication/json"));
      return;
    }
    Account account = new Account(memory);
    ctx.put(ACCOUNT_KEY, account);
    ctx.put(TREE_KEY, tree);
    ctx.addEndHandler(ar -> account.close());
    if (request.isEnded()) {
      ctx.put(BODY_KEY, Buffer.buffer());
      ctx.next();
      return;
    }
    // a declared length is taken from the budget at once, so that its buffer is never allocated unpaid
    long upFront = Math.max(0, declared);
    try {
      account.take(upFront);
    } catch (WhiskException e) {
      refuse(ctx, e);
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      // the client waits for this before sending the body; a refusal above went out instead of it
      ctx.response().writeContinue();
    }
    receive(ctx, account, upFront, declared, max);
  }

  /** Reads the body chunk by chunk, taking from the budget what the declared length did not cover. */
  private static void receive(RoutingContext ctx, Account account, long upFront, long declared, long max) {
    HttpServerRequest request = ctx.request();
    Buffer body = Buffer.buffer((int) upFront);
    request.handler(chunk -> {
      if (account.failed) {
        return;
      }
      long size = (long) body.length() + chunk.length();
      try {
        if (size > max) {
          throw WhiskException.tooLarge(declared > 0 ? declared : size, max);
        }
        if (size > upFront) {
          account.take(size - Math.max(upFront, body.length()));
        }
      } catch (WhiskException e) {
        account.failed = true;
        refuse(ctx, e);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(t -> account.failed = true);
    request.endHandler(v -> {
      if (!account.failed) {
        ctx.put(BODY_KEY, body);
        ctx.next();
      }
    });
    request.resume();
  }

  /**
   * Answers with the error and closes the connection: at once if the request has all arrived, else
   * once the rest of its body has been read and dropped (or the request timeout ends it). Closing with
   * unread bytes would reset the connection, and the client would lose the answer.
   */
  private static void refuse(RoutingContext ctx, WhiskException e) {
    HttpServerRequest request = ctx.request();
    ctx.response().putHeader("Connection", "close");
    if (request.isEnded()) {
      ctx.addEndHandler(ar -> request.connection().close());
    } else {
      request.handler(chunk -> { });
      request.endHandler(v -> {
        if (ctx.response().ended()) {
          request.connection().close();
        } else {
          ctx.addEndHandler(ar -> request.connection().close());
        }
      });
      request.resume();
    }
    ctx.fail(e);
  }

  private static long declaredLength(HttpServerRequest request) {
    String v = request.getHeader("Content-Length");
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** {@code application/json}, with any parameters ({@code charset=utf-8}), as OpenWhisk's unmarshaller takes. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return media.equals("application/json");
  }

  /** What one request took from the budget; all of it is given back once, when the response ends. */
  private static final class Account {
    private final RequestMemory memory;
    private long taken;
    private boolean closed;
    boolean failed;

    Account(RequestMemory memory) {
      this.memory = memory;
    }

    void take(long bytes) {
      if (closed) {
        throw WhiskException.unavailable("The request ended before its body was read.");
      }
      memory.take(bytes);
      taken += bytes;
    }

    void close() {
      if (!closed) {
        closed = true;
        memory.give(taken);
        taken = 0;
      }
    }
  }
}
