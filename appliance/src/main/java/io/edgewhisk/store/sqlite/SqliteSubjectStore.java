package io.edgewhisk.store.sqlite;

import io.edgewhisk.model.EntityName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SubjectStore} on SQLite. Authentication reads an immutable snapshot of every namespace's credentials
 * held in memory; the snapshot is reloaded after this store's own writes and, for changes made by another
 * process (the admin CLI), whenever the {@code namespace_changes} counter, polled every
 * {@code subjects.refresh-interval}, has moved.
 */
public final class SqliteSubjectStore implements SubjectStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteSubjectStore.class);

  /** The SQL of this store. */
  private static final class Sql {
    static final String VERSION = "SELECT counter FROM namespace_changes WHERE id = 1";
    static final String ALL = "SELECT namespace, subject, uuid, key, limits, blocked FROM namespaces";
    static final String INSERT = "INSERT INTO namespaces (namespace, subject, uuid, key, created) "
        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace) DO NOTHING";
    static final String PUT = "INSERT INTO namespaces (namespace, subject, uuid, key, created) VALUES (?, ?, ?, ?, ?) "
        + "ON CONFLICT (namespace) DO UPDATE SET subject = excluded.subject, uuid = excluded.uuid, key = excluded.key";
    static final String ROTATE = "UPDATE namespaces SET key = ? WHERE namespace = ?";
    static final String DELETE = "DELETE FROM namespaces WHERE namespace = ?";
    static final String LIMITS = "SELECT limits FROM namespaces WHERE namespace = ?";
    static final String SET_LIMITS = "UPDATE namespaces SET limits = ? WHERE namespace = ?";
  }

  /** One namespace's row. */
  private record Row(String namespace, String subject, String uuid, String key, NamespaceLimits limits,
      boolean blocked) {}

  /** Every namespace as of one value of the change counter, indexed both ways. */
  private record Snapshot(long version, Map<String, Row> byUuid, Map<String, Identity> byNamespace) {}

  private final Database db;
  private final NamespaceLimits defaults;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
  private final ScheduledFuture<?> poll;

  private SqliteSubjectStore(Database db, NamespaceLimits defaults, Duration refresh) {
    this.db = db;
    this.defaults = defaults;
    this.poll = db.onWriterEvery(refresh, "namespace cache refresh", this::refreshIfChanged);
  }

  /**
   * Opens the store on {@code db}: completes once the cache is loaded, so that no request is ever answered
   * from an empty one. {@code defaults} are merged into every identity's limits; {@code refresh} is how often
   * changes by other processes are looked for.
   */
  public static Future<SqliteSubjectStore> open(Database db, NamespaceLimits defaults, Duration refresh) {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(refresh, "refresh");
    SqliteSubjectStore store = new SqliteSubjectStore(db, defaults, refresh);
    return db.read(store::load).map(loaded -> {
      store.install(loaded);
      return store;
    }).onFailure(e -> store.close());
  }

  @Override
  public Identity authenticate(String uuid, String key) {
    if (uuid == null || key == null) {
      return null;
    }
    Snapshot current = snapshot.get();
    if (current == null) {
      return null;
    }
    Row row = current.byUuid().get(uuid);
    if (row == null || row.blocked() || !sameKey(row.key(), key)) {
      return null;
    }
    return current.byNamespace().get(row.namespace());
  }

  @Override
  public Identity identityOf(String namespace) {
    Snapshot current = snapshot.get();
    return namespace == null || current == null ? null : current.byNamespace().get(namespace);
  }

  @Override
  public boolean isBlocked(String namespace) {
    Snapshot current = snapshot.get();
    Identity identity = namespace == null || current == null ? null : current.byNamespace().get(namespace);
    if (identity == null) {
      return false;
    }
    Row row = current.byUuid().get(identity.uuid());
    return row != null && row.blocked();
  }

  @Override
  public Future<List<Identity>> list() {
    return db.read(c -> {
      List<Identity> out = new ArrayList<>(load(c).byNamespace().values());
      out.sort(Comparator.comparing(Identity::namespace));
      return out;
    });
  }

  @Override
  public Future<Identity> create(String subject, String namespace) {
    Objects.requireNonNull(subject, "subject");
    if (!EntityName.isValid(namespace)) {
      return invalidName(namespace);
    }
    return change(namespace, c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.INSERT)) {
        bindCredentials(p, namespace, subject, Credentials.uuid(), Credentials.key());
        if (p.executeUpdate() == 0) {
          throw WhiskException.alreadyExists();
        }
      }
    });
  }

  @Override
  public Future<Identity> put(String subject, String namespace, String uuid, String key) {
    Objects.requireNonNull(subject, "subject");
    if (!EntityName.isValid(namespace)) {
      return invalidName(namespace);
    }
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(key, "key");
    return change(namespace, c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.PUT)) {
        bindCredentials(p, namespace, subject, uuid, key);
        p.executeUpdate();
      } catch (SQLException e) {
        if (SqlErrors.isConstraintViolation(e)) {
          throw new WhiskException(409, "The uuid " + uuid + " belongs to another namespace.");
        }
        throw e;
      }
    });
  }

  @Override
  public Future<Identity> rotateKey(String namespace) {
    return change(namespace, c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.ROTATE)) {
        p.setString(1, Credentials.key());
        p.setString(2, namespace);
        requireOne(p.executeUpdate(), namespace);
      }
    });
  }

  @Override
  public Future<Void> delete(String namespace) {
    return change(namespace, c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.DELETE)) {
        p.setString(1, namespace);
        requireOne(p.executeUpdate(), namespace);
      }
    }).mapEmpty();
  }

  @Override
  public Future<NamespaceLimits> limits(String namespace) {
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.LIMITS)) {
        p.setString(1, namespace);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            throw WhiskException.notFound(namespace);
          }
          return NamespaceLimits.fromJson(new JsonObject(r.getString(1)));
        }
      }
    });
  }

  @Override
  public Future<Void> setLimits(String namespace, NamespaceLimits limits) {
    Objects.requireNonNull(limits, "limits");
    return change(namespace, c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.SET_LIMITS)) {
        p.setString(1, limits.toJson().encode());
        p.setString(2, namespace);
        requireOne(p.executeUpdate(), namespace);
      }
    }).mapEmpty();
  }

  /** Stops following other processes' changes. */
  @Override
  public void close() {
    poll.cancel(false);
  }

  /** A change to one namespace: its SQL, then the new snapshot, read in the same transaction. */
  interface Change {
    void run(Connection c) throws SQLException;
  }

  /** Runs {@code change} on the writer and installs the snapshot it leaves, so the cache follows at once. */
  Future<Identity> change(String namespace, Change change) {
    Objects.requireNonNull(namespace, "namespace");
    return db.write(c -> {
      change.run(c);
      return load(c);
    }).map(after -> {
      install(after);
      return after.byNamespace().get(namespace);
    });
  }

  /** Polled on the writer: reloads only when the change counter moved (another process wrote). */
  private void refreshIfChanged() {
    Connection c = db.writeConnection();
    try {
      Snapshot current = snapshot.get();
      if (current != null && version(c) != current.version()) {
        install(Transactions.inDeferred(c, () -> load(c)));
        LOG.info("Reloaded namespace credentials after a change by another process");
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  /** Installs {@code next} unless a newer snapshot got there first. */
  private void install(Snapshot next) {
    snapshot.accumulateAndGet(next, (current, candidate) ->
        current == null || candidate.version() >= current.version() ? candidate : current);
  }

  private Snapshot load(Connection c) throws SQLException {
    long version = version(c);
    Map<String, Row> byUuid = new HashMap<>();
    Map<String, Identity> byNamespace = new HashMap<>();
    try (PreparedStatement p = c.prepareStatement(Sql.ALL); ResultSet r = p.executeQuery()) {
      while (r.next()) {
        Row row = new Row(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
            NamespaceLimits.fromJson(new JsonObject(r.getString(5))), r.getBoolean(6));
        byUuid.put(row.uuid(), row);
        byNamespace.put(row.namespace(),
            new Identity(row.subject(), row.namespace(), row.uuid(), row.key(), row.limits().orDefaults(defaults)));
      }
    }
    return new Snapshot(version, Map.copyOf(byUuid), Map.copyOf(byNamespace));
  }

  private static long version(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(Sql.VERSION); ResultSet r = p.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void bindCredentials(PreparedStatement p, String namespace, String subject, String uuid, String key)
      throws SQLException {
    p.setString(1, namespace);
    p.setString(2, subject);
    p.setString(3, uuid);
    p.setString(4, key);
    p.setLong(5, System.currentTimeMillis());
  }

  /**
   * Compares in time that depends only on the length (which is public: every key has 64 characters), not on
   * where the first difference is, and without allocating on this hot path.
   */
  static boolean sameKey(String stored, String given) {
    int diff = stored.length() ^ given.length();
    int n = Math.min(stored.length(), given.length());
    for (int i = 0; i < n; i++) {
      diff |= stored.charAt(i) ^ given.charAt(i);
    }
    return diff == 0;
  }

  private static <T> Future<T> invalidName(String namespace) {
    try {
      EntityName.require(namespace, "namespace");
      throw new IllegalArgumentException(namespace);
    } catch (WhiskException e) {
      return Future.failedFuture(e);
    }
  }

  private static void requireOne(int updated, String namespace) {
    if (updated == 0) {
      throw WhiskException.notFound(namespace);
    }
  }
}
