package io.edgewhisk.sync.status;

import io.edgewhisk.spi.PluginDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;

/** The running plugin's last device status in its table, where {@code edgewhisk sync status} reads it. */
public final class StatusStore {
  private final PluginDatabase db;

  public StatusStore(PluginDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  public Future<Void> save(JsonObject status, long now) {
    String json = status.encode();
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_status (id, json, updated) VALUES (1, ?, ?)"
          + " ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated = excluded.updated")) {
        s.setString(1, json);
        s.setLong(2, now);
        s.executeUpdate();
      }
      return null;
    });
  }

  /** The last status, or null when sync never ran here. */
  public Future<JsonObject> load() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT json FROM sync_status WHERE id = 1");
           ResultSet r = s.executeQuery()) {
        return r.next() ? new JsonObject(r.getString(1)) : null;
      }
    });
  }
}
