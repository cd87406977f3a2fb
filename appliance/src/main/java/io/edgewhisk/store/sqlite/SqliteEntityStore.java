package io.edgewhisk.store.sqlite;

import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link EntityStore} on SQLite: one {@code entities} row per action, package, trigger or rule, keyed by its
 * fully qualified name and holding its OpenWhisk JSON. Optimistic writes compare the stored version in the
 * {@code WHERE} clause, so a lost race is a zero row count, answered with 409.
 */
public final class SqliteEntityStore implements EntityStore {

  /** The SQL of this store. */
  private static final class Sql {
    static final String GET = "SELECT entity_type, document FROM entities WHERE id = ?";
    static final String INSERT = "INSERT INTO entities (id, namespace, package, name, entity_type, version, "
        + "publish, updated, document, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
    static final String UPDATE = "UPDATE entities SET entity_type = ?, version = ?, publish = ?, updated = ?, "
        + "document = ?, origin = ? WHERE id = ? AND version = ?";
    static final String ORIGIN = "SELECT origin FROM entities WHERE id = ?";
    static final String DELETE = "DELETE FROM entities WHERE id = ? AND version = ?";
    static final String WHERE = " FROM entities WHERE namespace = ? AND entity_type = ?";
    static final String IN_PACKAGE = " AND package = ?";
    static final String PUBLIC = " AND publish = 1";
    static final String LIST = "SELECT entity_type, document";
    static final String ORDER = " ORDER BY updated DESC, id LIMIT ? OFFSET ?";
    static final String COUNT = "SELECT count(*)";
  }

  private final Database db;

  public SqliteEntityStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Future<WhiskEntity> get(FullyQualifiedName fqn) {
    Objects.requireNonNull(fqn, "fqn");
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.GET)) {
        p.setString(1, fqn.toString());
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? entity(r) : null;
        }
      }
    });
  }

  @Override
  public Future<Origin> origin(FullyQualifiedName fqn) {
    Objects.requireNonNull(fqn, "fqn");
    return db.read(c -> origin(c, fqn));
  }

  @Override
  public Future<Void> apply(List<EntityChange> changes, Origin origin) {
    Objects.requireNonNull(origin, "origin");
    List<EntityChange> all = List.copyOf(changes);
    if (all.isEmpty()) {
      return Future.succeededFuture();
    }
    return db.write(c -> {
      for (EntityChange change : all) {
        apply(c, change, origin);
      }
      return null;
    });
  }

  private static Origin origin(Connection c, FullyQualifiedName fqn) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(Sql.ORIGIN)) {
      p.setString(1, fqn.toString());
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Origin.fromWord(r.getString(1)) : null;
      }
    }
  }

  /** A local write may not touch what the fleet owns. */
  private static void refuseFleetOwned(Connection c, FullyQualifiedName fqn, Origin origin) throws SQLException {
    if (origin == Origin.LOCAL && origin(c, fqn) == Origin.FLEET) {
      throw new WhiskException(409, Origin.FLEET_MANAGED);
    }
  }

  private static void apply(Connection c, EntityChange change, Origin origin) throws SQLException {
    if (change instanceof EntityChange.Create create) {
      insert(c, create.entity(), origin);
    } else if (change instanceof EntityChange.Update update) {
      refuseFleetOwned(c, update.entity().fqn(), origin);
      update(c, update, origin == Origin.FLEET ? origin : Origin.LOCAL);
    } else if (change instanceof EntityChange.Delete delete) {
      refuseFleetOwned(c, delete.fqn(), origin);
      try (PreparedStatement p = c.prepareStatement(Sql.DELETE)) {
        p.setString(1, delete.fqn().toString());
        p.setString(2, delete.expected().toString());
        if (p.executeUpdate() == 0) {
          throw WhiskException.concurrentModification();
        }
      }
    }
  }

  private static void insert(Connection c, WhiskEntity e, Origin origin) throws SQLException {
    FullyQualifiedName fqn = e.fqn();
    try (PreparedStatement p = c.prepareStatement(Sql.INSERT)) {
      p.setString(1, fqn.toString());
      p.setString(2, fqn.namespace());
      p.setString(3, fqn.pkg());
      p.setString(4, fqn.name());
      p.setString(5, e.type().word());
      p.setString(6, e.version().toString());
      p.setBoolean(7, e.publish());
      p.setLong(8, e.updated());
      p.setString(9, e.toJson().encode());
      p.setString(10, origin.word());
      if (p.executeUpdate() == 0) {
        throw WhiskException.alreadyExists();
      }
    }
  }

  private static void update(Connection c, EntityChange.Update u, Origin origin) throws SQLException {
    WhiskEntity e = u.entity();
    try (PreparedStatement p = c.prepareStatement(Sql.UPDATE)) {
      p.setString(1, e.type().word());
      p.setString(2, e.version().toString());
      p.setBoolean(3, e.publish());
      p.setLong(4, e.updated());
      p.setString(5, e.toJson().encode());
      p.setString(6, origin.word());
      p.setString(7, e.fqn().toString());
      p.setString(8, u.expected().toString());
      if (p.executeUpdate() == 0) {
        throw WhiskException.concurrentModification();
      }
    }
  }

  /** Lists as documented on {@link EntityStore#list}; a {@code limit} of 0 or less means no limit. */
  @Override
  public Future<List<WhiskEntity>> list(EntityListQuery query) {
    Objects.requireNonNull(query, "query");
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.LIST + where(query) + Sql.ORDER)) {
        int i = bind(p, query);
        p.setInt(i++, query.limit() > 0 ? query.limit() : -1);
        p.setInt(i, Math.max(0, query.skip()));
        List<WhiskEntity> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(entity(r));
          }
        }
        return out;
      }
    });
  }

  /** Counts what {@link #list} would list without skip and limit. */
  @Override
  public Future<Long> count(EntityListQuery query) {
    Objects.requireNonNull(query, "query");
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.COUNT + where(query))) {
        bind(p, query);
        try (ResultSet r = p.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      }
    });
  }

  private static String where(EntityListQuery q) {
    return Sql.WHERE + (q.pkg() != null ? Sql.IN_PACKAGE : "") + (q.publicOnly() ? Sql.PUBLIC : "");
  }

  private static int bind(PreparedStatement p, EntityListQuery q) throws SQLException {
    int i = 1;
    p.setString(i++, q.namespace());
    p.setString(i++, q.type().word());
    if (q.pkg() != null) {
      p.setString(i++, q.pkg());
    }
    return i;
  }

  private static WhiskEntity entity(ResultSet r) throws SQLException {
    return WhiskEntity.fromJson(EntityType.fromWord(r.getString(1)), new JsonObject(r.getString(2)));
  }
}
