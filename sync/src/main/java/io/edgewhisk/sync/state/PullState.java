package io.edgewhisk.sync.state;

import io.edgewhisk.spi.PluginDatabase;
import io.edgewhisk.sync.couch.ChangeSeq;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What pull remembers between runs, in the plugin's tables: checkpoints, what it applied, what failed. */
public final class PullState {
  private final PluginDatabase db;

  public PullState(PluginDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** An entity pull applied: its document id and revision, its name, kind and (for rules) the body applied. */
  public record FleetEntity(String docId, String name, String kind, String rev, JsonObject body) {}

  /** A document that could not be applied. */
  public record PullError(String feed, String docId, String reason, boolean retry, int attempts, long updated) {}

  public Future<ChangeSeq> checkpoint(String feed) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT seq FROM sync_checkpoint WHERE feed = ?")) {
        s.setString(1, feed);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? new ChangeSeq(Json.decodeValue(r.getString(1))) : ChangeSeq.START;
        }
      }
    });
  }

  public Future<Void> saveCheckpoint(String feed, ChangeSeq seq, long now) {
    String json = Json.encode(seq.value());
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO sync_checkpoint (feed, seq, updated) VALUES (?, ?, ?)"
              + " ON CONFLICT (feed) DO UPDATE SET seq = excluded.seq, updated = excluded.updated")) {
        s.setString(1, feed);
        s.setString(2, json);
        s.setLong(3, now);
        s.executeUpdate();
      }
      return null;
    });
  }

  public Future<FleetEntity> entity(String docId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT name, kind, rev, body FROM sync_fleet_entity WHERE doc_id = ?")) {
        s.setString(1, docId);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? new FleetEntity(docId, r.getString(1), r.getString(2), r.getString(3),
              r.getString(4) == null ? null : new JsonObject(r.getString(4))) : null;
        }
      }
    });
  }

  public Future<Void> saveEntity(FleetEntity e) {
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO sync_fleet_entity (doc_id, name, kind, rev, body) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT (doc_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
              + " rev = excluded.rev, body = excluded.body")) {
        s.setString(1, e.docId());
        s.setString(2, e.name());
        s.setString(3, e.kind());
        s.setString(4, e.rev());
        s.setString(5, e.body() == null ? null : e.body().encode());
        s.executeUpdate();
      }
      return null;
    });
  }

  public Future<Void> forgetEntity(String docId) {
    return update("DELETE FROM sync_fleet_entity WHERE doc_id = ?", docId);
  }

  public Future<Integer> entityCount() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM sync_fleet_entity");
           ResultSet r = s.executeQuery()) {
        return r.next() ? r.getInt(1) : 0;
      }
    });
  }

  public Future<List<String>> subjectNamespaces(String subject) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT namespace FROM sync_fleet_subject WHERE subject = ? ORDER BY namespace")) {
        s.setString(1, subject);
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            out.add(r.getString(1));
          }
        }
        return out;
      }
    });
  }

  /** Whether the namespace came from the central subjects database. */
  public Future<Boolean> isFleetNamespace(String namespace) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM sync_fleet_subject WHERE namespace = ?")) {
        s.setString(1, namespace);
        try (ResultSet r = s.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  public Future<Void> saveSubjectNamespace(String subject, String namespace) {
    return update("INSERT OR IGNORE INTO sync_fleet_subject (subject, namespace) VALUES (?, ?)", subject, namespace);
  }

  public Future<Void> forgetSubjectNamespace(String subject, String namespace) {
    return update("DELETE FROM sync_fleet_subject WHERE subject = ? AND namespace = ?", subject, namespace);
  }

  public Future<Void> recordError(String feed, String docId, String reason, boolean retry, long now) {
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO sync_pull_error (feed, doc_id, reason, retry, attempts, updated) VALUES (?, ?, ?, ?, 1, ?)"
              + " ON CONFLICT (feed, doc_id) DO UPDATE SET reason = excluded.reason, retry = excluded.retry,"
              + " attempts = sync_pull_error.attempts + 1, updated = excluded.updated")) {
        s.setString(1, feed);
        s.setString(2, docId);
        s.setString(3, reason.length() > 500 ? reason.substring(0, 500) : reason);
        s.setInt(4, retry ? 1 : 0);
        s.setLong(5, now);
        s.executeUpdate();
      }
      return null;
    });
  }

  public Future<Void> clearError(String feed, String docId) {
    return update("DELETE FROM sync_pull_error WHERE feed = ? AND doc_id = ?", feed, docId);
  }

  /** The errors of a feed (or all when null), newest first. */
  public Future<List<PullError>> errors(String feed, int limit) {
    return db.read(c -> {
      String sql = "SELECT feed, doc_id, reason, retry, attempts, updated FROM sync_pull_error"
          + (feed == null ? "" : " WHERE feed = ?") + " ORDER BY updated DESC LIMIT ?";
      try (PreparedStatement s = c.prepareStatement(sql)) {
        int i = 1;
        if (feed != null) {
          s.setString(i++, feed);
        }
        s.setInt(i, limit);
        List<PullError> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            out.add(new PullError(r.getString(1), r.getString(2), r.getString(3), r.getInt(4) == 1, r.getInt(5), r.getLong(6)));
          }
        }
        return out;
      }
    });
  }

  public Future<Void> recordReplaced(String name, long now) {
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO sync_replaced (name, at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET at = excluded.at")) {
        s.setString(1, name);
        s.setLong(2, now);
        s.executeUpdate();
      }
      return null;
    });
  }

  public Future<List<String>> replaced() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT name FROM sync_replaced ORDER BY at DESC LIMIT 100");
           ResultSet r = s.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (r.next()) {
          out.add(r.getString(1));
        }
        return out;
      }
    });
  }

  private Future<Void> update(String sql, String... args) {
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          s.setString(i + 1, args[i]);
        }
        s.executeUpdate();
      }
      return null;
    });
  }
}
