package io.edgewhisk.sync.couch;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** One row of a {@code _changes} feed: the document id, its latest revision, and the document when asked for. */
public record Change(ChangeSeq seq, String id, String rev, boolean deleted, JsonObject doc) {
  public Change {
    Objects.requireNonNull(seq, "seq");
    Objects.requireNonNull(id, "id");
  }

  static Change fromJson(JsonObject row) {
    Object seq = row.getValue("seq");
    var changes = row.getJsonArray("changes");
    String rev = changes == null || changes.isEmpty() ? null : changes.getJsonObject(0).getString("rev");
    return new Change(new ChangeSeq(seq), row.getString("id"), rev, row.getBoolean("deleted", false),
        row.getJsonObject("doc"));
  }
}
