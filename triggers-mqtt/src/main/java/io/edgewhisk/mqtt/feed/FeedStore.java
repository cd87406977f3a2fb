package io.edgewhisk.mqtt.feed;

import io.edgewhisk.spi.PluginDatabase;
import io.edgewhisk.spi.PluginMigration;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The feed's registrations in the plugin's table {@code mqtt_feeds}, through the core's database (SPI). */
public final class FeedStore {
  private final PluginDatabase db;

  public FeedStore(PluginDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  public static List<PluginMigration> migrations() {
    return List.of(PluginMigration.sql(1, "MQTT feed registrations", """
        CREATE TABLE mqtt_feeds (
          trigger_id TEXT PRIMARY KEY NOT NULL,
          namespace TEXT NOT NULL,
          topic TEXT NOT NULL,
          qos INTEGER NOT NULL,
          broker TEXT NOT NULL,
          format TEXT NOT NULL,
          payload TEXT NOT NULL,
          paused INTEGER NOT NULL,
          changed INTEGER NOT NULL
        )"""));
  }

  public Future<Void> put(FeedRegistration r) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO mqtt_feeds (trigger_id, namespace, topic,"
          + " qos, broker, format, payload, paused, changed) VALUES (?,?,?,?,?,?,?,?,?)")) {
        ps.setString(1, r.trigger());
        ps.setString(2, r.namespace());
        ps.setString(3, r.topic());
        ps.setInt(4, r.qos());
        ps.setString(5, r.broker());
        ps.setString(6, r.format());
        ps.setString(7, r.triggerPayload().encode());
        ps.setInt(8, r.paused() ? 1 : 0);
        ps.setLong(9, r.changed());
        ps.executeUpdate();
      }
      return null;
    });
  }

  public Future<Boolean> delete(String trigger) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM mqtt_feeds WHERE trigger_id = ?")) {
        ps.setString(1, trigger);
        return ps.executeUpdate() > 0;
      }
    });
  }

  public Future<List<FeedRegistration>> all() {
    return db.read(c -> {
      List<FeedRegistration> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT trigger_id, namespace, topic, qos, broker, format,"
          + " payload, paused, changed FROM mqtt_feeds ORDER BY trigger_id");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new FeedRegistration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
              rs.getString(5), rs.getString(6), new JsonObject(rs.getString(7)), rs.getInt(8) != 0, rs.getLong(9)));
        }
      }
      return out;
    });
  }
}
