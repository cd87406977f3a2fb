package io.edgewhisk.store.sqlite;

import io.edgewhisk.model.EntityName;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.Subject;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The core's {@link IdentityService} for plugins: reads the {@code namespaces} table (blocked ones too), and
 * writes it through the {@link SqliteSubjectStore}, so that the API's credential cache follows at once.
 */
public final class SqliteIdentityService implements IdentityService {
  private static final String COLUMNS = "subject, namespace, uuid, key, blocked, limits";
  private static final String BY_UUID = "SELECT " + COLUMNS + " FROM namespaces WHERE uuid = ?";
  private static final String BY_NAMESPACE = "SELECT " + COLUMNS + " FROM namespaces WHERE namespace = ?";
  private static final String ALL = "SELECT " + COLUMNS + " FROM namespaces ORDER BY namespace";
  private static final String PUT = "INSERT INTO namespaces (namespace, subject, uuid, key, blocked, limits, created) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace) DO UPDATE SET subject = excluded.subject, "
      + "uuid = excluded.uuid, key = excluded.key, blocked = excluded.blocked, limits = excluded.limits";
  private static final String BLOCK = "UPDATE namespaces SET blocked = ? WHERE namespace = ?";
  private static final String DELETE = "DELETE FROM namespaces WHERE namespace = ?";

  private final Database db;
  private final SqliteSubjectStore subjects;

  public SqliteIdentityService(Database db, SqliteSubjectStore subjects) {
    this.db = Objects.requireNonNull(db, "db");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
  }

  @Override
  public Future<Subject> byKey(String authKey) {
    if (authKey == null || authKey.indexOf(':') < 0) {
      return Future.succeededFuture();
    }
    String uuid = authKey.substring(0, authKey.indexOf(':'));
    String key = authKey.substring(authKey.indexOf(':') + 1);
    return one(BY_UUID, uuid).map(s -> s != null && SqliteSubjectStore.sameKey(s.key(), key) ? s : null);
  }

  @Override
  public Future<Subject> byNamespace(String namespace) {
    return one(BY_NAMESPACE, namespace);
  }

  @Override
  public Future<List<Subject>> list() {
    return db.read(c -> {
      List<Subject> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(ALL); ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(subject(r));
        }
      }
      return out;
    });
  }

  @Override
  public Future<Void> put(Subject s) {
    try {
      Objects.requireNonNull(s, "subject");
      EntityName.require(s.namespace(), "namespace");
      if (s.subject().isBlank() || s.uuid().isBlank() || s.key().isBlank()) {
        throw WhiskException.badRequest("a subject needs a subject name, a uuid and a key");
      }
      // the limits must read back as OpenWhisk's limits JSON
      NamespaceLimits.fromJson(s.limits());
    } catch (WhiskException e) {
      return Future.failedFuture(e);
    } catch (ClassCastException | DecodeException e) {
      return Future.failedFuture(WhiskException.badRequest("the limits are not OpenWhisk's limits JSON: " + e.getMessage()));
    }
    return subjects.change(s.namespace(), c -> {
      try (PreparedStatement p = c.prepareStatement(PUT)) {
        p.setString(1, s.namespace());
        p.setString(2, s.subject());
        p.setString(3, s.uuid());
        p.setString(4, s.key());
        p.setBoolean(5, s.blocked());
        p.setString(6, s.limits().encode());
        p.setLong(7, System.currentTimeMillis());
        p.executeUpdate();
      } catch (SQLException e) {
        if (SqlErrors.isConstraintViolation(e)) {
          throw new WhiskException(409, "The uuid " + s.uuid() + " belongs to another namespace.");
        }
        throw e;
      }
    }).mapEmpty();
  }

  @Override
  public Future<Void> block(String namespace, boolean blocked) {
    return subjects.change(Objects.requireNonNull(namespace, "namespace"), c -> {
      try (PreparedStatement p = c.prepareStatement(BLOCK)) {
        p.setBoolean(1, blocked);
        p.setString(2, namespace);
        if (p.executeUpdate() == 0) {
          throw WhiskException.notFound(namespace);
        }
      }
    }).mapEmpty();
  }

  @Override
  public Future<Boolean> delete(String namespace) {
    boolean[] found = new boolean[1];
    return subjects.change(Objects.requireNonNull(namespace, "namespace"), c -> {
      try (PreparedStatement p = c.prepareStatement(DELETE)) {
        p.setString(1, namespace);
        found[0] = p.executeUpdate() == 1;
      }
    }).map(i -> found[0]);
  }

  private Future<Subject> one(String sql, String value) {
    if (value == null) {
      return Future.succeededFuture();
    }
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setString(1, value);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? subject(r) : null;
        }
      }
    });
  }

  private static Subject subject(ResultSet r) throws SQLException {
    return new Subject(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getBoolean(5),
        new JsonObject(r.getString(6)));
  }

}
