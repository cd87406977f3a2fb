package io.edgewhisk.mqtt.store;

import io.edgewhisk.mqtt.broker.PublishedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SQL of the broker's store: sessions, their messages, retained messages. */
final class BrokerTables {
  private BrokerTables() {}

  static void create(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS mqtt_sessions (client_id TEXT PRIMARY KEY, expiry INTEGER NOT NULL,"
        + " disconnected_at INTEGER NOT NULL, subscriptions BLOB NOT NULL)");
    s.execute("CREATE TABLE IF NOT EXISTS mqtt_messages (client_id TEXT NOT NULL, key INTEGER NOT NULL,"
        + " packet_id INTEGER NOT NULL, released INTEGER NOT NULL, delivery BLOB NOT NULL,"
        + " PRIMARY KEY (client_id, key)) WITHOUT ROWID");
    s.execute("CREATE TABLE IF NOT EXISTS mqtt_retained (topic TEXT PRIMARY KEY, message BLOB NOT NULL)");
  }

  static BrokerStore.Snapshot load(Connection c) throws SQLException {
    Map<String, List<BrokerStore.StoredDelivery>> messages = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT client_id, key, packet_id, released, delivery FROM mqtt_messages"
             + " ORDER BY client_id, key")) {
      while (rs.next()) {
        messages.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new BrokerStore.StoredDelivery(
            Codec.delivery(rs.getBytes(5), rs.getLong(2)), rs.getInt(3), rs.getInt(4) != 0));
      }
    }
    List<BrokerStore.StoredSession> sessions = new ArrayList<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT client_id, expiry, disconnected_at, subscriptions FROM mqtt_sessions")) {
      while (rs.next()) {
        String id = rs.getString(1);
        sessions.add(new BrokerStore.StoredSession(id, rs.getLong(2), rs.getLong(3),
            Codec.subscriptions(rs.getBytes(4)), messages.getOrDefault(id, List.of())));
      }
    }
    List<PublishedMessage> retained = new ArrayList<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT message FROM mqtt_retained")) {
      while (rs.next()) {
        retained.add(Codec.message(rs.getBytes(1)));
      }
    }
    c.commit();
    return new BrokerStore.Snapshot(sessions, retained);
  }

  static Void saveSession(Connection c, String clientId, long expiry, long disconnectedAt, byte[] subs)
      throws SQLException {
    return update(c, "INSERT INTO mqtt_sessions (client_id, expiry, disconnected_at, subscriptions) VALUES (?,?,?,?)"
        + " ON CONFLICT (client_id) DO UPDATE SET expiry = excluded.expiry,"
        + " disconnected_at = excluded.disconnected_at, subscriptions = excluded.subscriptions",
        clientId, expiry, disconnectedAt, subs);
  }

  static Void deleteSession(Connection c, String clientId) throws SQLException {
    update(c, "DELETE FROM mqtt_messages WHERE client_id = ?", clientId);
    return update(c, "DELETE FROM mqtt_sessions WHERE client_id = ?", clientId);
  }

  static Void addMessage(Connection c, String clientId, long key, int packetId, byte[] delivery) throws SQLException {
    return update(c, "INSERT OR REPLACE INTO mqtt_messages (client_id, key, packet_id, released, delivery)"
        + " VALUES (?,?,?,0,?)", clientId, key, packetId, delivery);
  }

  static Void updateMessage(Connection c, String clientId, long key, int packetId, boolean released)
      throws SQLException {
    return update(c, "UPDATE mqtt_messages SET packet_id = ?, released = ? WHERE client_id = ? AND key = ?",
        packetId, released ? 1 : 0, clientId, key);
  }

  static Void removeMessage(Connection c, String clientId, long key) throws SQLException {
    return update(c, "DELETE FROM mqtt_messages WHERE client_id = ? AND key = ?", clientId, key);
  }

  static Void putRetained(Connection c, String topic, byte[] message) throws SQLException {
    return update(c, "INSERT OR REPLACE INTO mqtt_retained (topic, message) VALUES (?,?)", topic, message);
  }

  static Void removeRetained(Connection c, String topic) throws SQLException {
    return update(c, "DELETE FROM mqtt_retained WHERE topic = ?", topic);
  }

  private static Void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
    return null;
  }
}
