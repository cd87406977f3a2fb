package io.edgewhisk.sync.couch;

import io.vertx.core.json.JsonObject;

/**
 * CouchDB's answer for one document of a {@code _bulk_docs} request: {@code ok} with the new revision, or
 * an {@code error} ({@code conflict}, {@code forbidden}, …) with its reason.
 */
public record BulkResult(String id, String rev, String error, String reason) {
  public boolean ok() {
    return error == null;
  }

  public boolean conflict() {
    return "conflict".equals(error);
  }

  static BulkResult fromJson(JsonObject o) {
    String error = o.getString("error");
    // pouchdb-server adds "ok": true beside a rev; CouchDB gives "ok": true too; an error row has no rev.
    return new BulkResult(o.getString("id"), o.getString("rev"), error, o.getString("reason"));
  }
}
