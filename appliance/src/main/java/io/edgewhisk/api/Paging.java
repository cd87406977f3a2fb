package io.edgewhisk.api;

import io.edgewhisk.model.WhiskException;
import io.vertx.ext.web.RoutingContext;

/** {@code limit}, {@code skip} and {@code count} of a list request, with OpenWhisk's defaults and bounds. */
record Paging(int skip, int limit, boolean count) {
  static final int DEFAULT_LIMIT = 30;
  static final int MAX_LIMIT = 200;

  static Paging of(RoutingContext ctx, String collection) {
    Integer limit = Requests.integer(ctx, "limit", collection);
    Integer skip = Requests.integer(ctx, "skip", collection);
    if (limit != null && (limit < 0 || limit > MAX_LIMIT)) {
      throw WhiskException.badRequest("The value '" + limit + "' is not in the range of 0 to " + MAX_LIMIT + " for " + collection + ".");
    }
    if (skip != null && skip < 0) {
      throw WhiskException.badRequest("The value '" + skip + "' is not greater than or equal to 0 for " + collection + ".");
    }
    int l = limit == null ? DEFAULT_LIMIT : limit == 0 ? MAX_LIMIT : limit;
    return new Paging(skip == null ? 0 : skip, l, Requests.flag(ctx, "count", false));
  }
}
