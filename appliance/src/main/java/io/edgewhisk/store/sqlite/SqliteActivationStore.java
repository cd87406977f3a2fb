package io.edgewhisk.store.sqlite;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.ActivationStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ActivationStore} on SQLite. {@link #store} only queues the record: the writer commits what has
 * queued in one transaction per batch, as soon as {@code batch-size} records wait or {@code batch-delay}
 * after the first, so that a burst of activations costs a few commits rather than one each. The retention
 * policy ({@link ActivationRetention}) runs on the writer every {@code retention-interval}.
 */
public final class SqliteActivationStore implements ActivationStore, AutoCloseable {

  /** The SQL of this store. */
  private static final class Sql {
    static final String INSERT = "INSERT INTO activations (activation_id, namespace, name, qualified_name, start, "
        + "\"end\", status_code, document, summary) VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT)) "
        + "ON CONFLICT (activation_id) DO NOTHING";
    static final String GET = "SELECT document FROM activations WHERE activation_id = ? AND namespace = ?";
    static final String CONTAINS = "SELECT 1 FROM activations WHERE activation_id = ?";
    /** An object or array field as JSON text, which SQLite cuts out without the heap seeing the rest. */
    static final String FIELD = "SELECT json_extract(document, ?) FROM activations WHERE activation_id = ? AND namespace = ?";
    static final String WHERE = " FROM activations WHERE namespace = ?";
    static final String BY_NAME = " AND (name = ? OR qualified_name = ?)";
    static final String SINCE = " AND start >= ?";
    static final String UPTO = " AND start <= ?";
    /** Rows stored before the summary column existed are summarised by SQLite, off the Java heap. */
    static final String SUMMARIES = "SELECT coalesce(summary, json_set(json_remove(document, '$.response', '$.logs'), "
        + "'$.statusCode', status_code))";
    static final String IDS = "SELECT activation_id";
    static final String ORDER = " ORDER BY start DESC, activation_id DESC LIMIT ? OFFSET ?";
    static final String COUNT = "SELECT count(*)";
  }

  /**
   * A record waiting for its batch, its JSON document (UTF-8, as encoded for the log: bound as bytes and
   * cast to TEXT by SQLite, so it is never decoded to a String and encoded back), its caller's context
   * and promise.
   */
  private record Pending(Activation activation, byte[] document, Context context, Promise<Void> promise) {}

  /** Records in one flush from which the store counts as under load (see {@link #batchDelay}). */
  static final int UNDER_LOAD_RECORDS = 8;

  private final Database db;
  private final int batchSize;
  private final StoreConfig config;
  private final ActivationRetention retention;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean timerSet = new AtomicBoolean();
  private final AtomicBoolean fullBatchSet = new AtomicBoolean();
  /** Records in the writer's last flush: at {@link #UNDER_LOAD_RECORDS} or more the next batch waits longer. */
  private volatile int lastFlushed;
  private final ScheduledFuture<?> retentionTask;
  /** The records stored, for /metrics: counted once at open, then kept up by the writer's inserts and deletes. */
  private final AtomicLong records = new AtomicLong();
  /** The insert, prepared once on the writer's connection (which finalizes it when it closes); writer only. */
  private PreparedStatement insert;

  /** Starts the periodic retention on the database's writer; {@link #close} stops it. */
  public SqliteActivationStore(Database db, StoreConfig config) {
    this.db = Objects.requireNonNull(db, "db");
    this.config = Objects.requireNonNull(config, "config");
    this.batchSize = config.activationBatchSize();
    this.retention = new ActivationRetention(config.retentionAge(), config.retentionMaxPerNamespace());
    this.retentionTask = db.onWriterEvery(config.retentionInterval(), "activation retention",
        () -> runRetention(db.writeConnection()));
    // once, on the writer before any batch of this store (so no insert or delete is missed): a count(*) per
    // scrape would walk an index of up to retention's bound of records
    db.onWriter(() -> records.addAndGet(countAll(db.writeConnection())));
  }

  /** How many activation records the store holds (cheap: a counter, not a query). */
  public long records() {
    return records.get();
  }

  /** Bytes of the database file on disk (with its write-ahead log): one stat per file, no query. */
  public long bytes() {
    long bytes = 0;
    for (Path f : new Path[] {db.file(), db.file().resolveSibling(db.file().getFileName() + "-wal")}) {
      try {
        bytes += Files.size(f);
      } catch (IOException e) {
        // no WAL (checkpointed and removed), or a file being replaced: it holds nothing now
      }
    }
    return bytes;
  }

  private static long countAll(Connection c) {
    try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM activations"); ResultSet r = p.executeQuery()) {
      return r.next() ? r.getLong(1) : 0;
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  @Override
  public Future<Void> store(Activation activation) {
    Objects.requireNonNull(activation, "activation");
    return queue(activation, activation.toJson().toBuffer().getBytes());
  }

  @Override
  public Future<Void> store(Activation activation, Buffer document) {
    Objects.requireNonNull(activation, "activation");
    return queue(activation, document.getBytes());
  }

  private Future<Void> queue(Activation activation, byte[] document) {
    Promise<Void> promise = Promise.promise();
    queue.add(new Pending(activation, document, db.callerContext(), promise));
    int waiting = queued.incrementAndGet();
    try {
      if (waiting >= batchSize) {
        if (fullBatchSet.compareAndSet(false, true)) {
          db.onWriter(() -> {
            fullBatchSet.set(false);
            flush();
          });
        }
      } else if (timerSet.compareAndSet(false, true)) {
        db.onWriterAfter(batchDelay(), () -> {
          timerSet.set(false);
          flush();
        });
      }
    } catch (RejectedExecutionException e) {
      // the database is closing: whatever was queued before has been committed or will be by the close
      promise.tryFail(WhiskException.unavailable("The activation store is shutting down."));
    }
    return promise.future();
  }

  /**
   * How long a partial batch waits for company: {@code batch-delay}, or {@code batch-delay-under-load} while
   * records come fast enough that the last flush held {@link #UNDER_LOAD_RECORDS} or more. Each commit writes
   * every page it changed (the table's last page and one of each index at least) to the write-ahead log, so
   * fewer, larger commits write fewer pages per record.
   */
  Duration batchDelay() {
    return lastFlushed >= UNDER_LOAD_RECORDS ? config.activationBatchDelayUnderLoad() : config.activationBatchDelay();
  }

  /** Commits everything queued, in transactions of at most {@code batchSize} records. On the writer thread. */
  private void flush() {
    List<Pending> batch = new ArrayList<>(batchSize);
    int flushed = 0;
    while (true) {
      batch.clear();
      Pending p;
      while (batch.size() < batchSize && (p = queue.poll()) != null) {
        batch.add(p);
      }
      if (batch.isEmpty()) {
        return; // a timer that found its records flushed by a full batch tells nothing of the load
      }
      flushed += batch.size();
      queued.addAndGet(-batch.size());
      Throwable failure = commit(batch);
      if (queue.isEmpty()) { // the flush's last commit: the load is known before its callers hear of it
        lastFlushed = flushed;
      }
      settle(List.copyOf(batch), failure);
    }
  }

  /** Inserts the batch in one transaction; null when it committed, else what failed it. */
  private Throwable commit(List<Pending> batch) {
    Connection c = db.writeConnection();
    try {
      int[] inserted = Transactions.inImmediate(c, () -> {
        if (insert == null) {
          insert = c.prepareStatement(Sql.INSERT);
        }
        try {
          for (Pending pending : batch) {
            bindInsert(insert, pending.activation(), pending.document());
            insert.addBatch();
          }
          return insert.executeBatch();
        } finally {
          insert.clearBatch();
        }
      });
      for (int n : inserted) {
        records.addAndGet(Math.max(n, 0)); // 0: a record of this id was there already
      }
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  private static void settle(List<Pending> batch, Throwable failure) {
    if (failure == null) {
      batch.forEach(pending -> pending.context().runOnContext(v -> pending.promise().complete()));
    } else {
      batch.forEach(pending -> pending.context().runOnContext(v ->
          pending.promise().fail(SqlErrors.translate(failure))));
    }
  }

  private static void bindInsert(PreparedStatement p, Activation a, byte[] document) throws SQLException {
    p.setString(1, a.activationId().value());
    p.setString(2, a.namespace());
    p.setString(3, a.name());
    p.setString(4, qualifiedName(a));
    p.setLong(5, a.start());
    p.setLong(6, a.end());
    p.setInt(7, a.response().statusCode());
    p.setBytes(8, document);
    p.setBytes(9, a.toSummaryJson().toBuffer().getBytes());
  }

  /** The {@code path} annotation without its namespace: {@code pkg/name} or {@code name}. */
  static String qualifiedName(Activation a) {
    String path = a.path();
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  @Override
  public Future<Activation> get(String namespace, ActivationId id) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(id, "id");
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.GET)) {
        p.setString(1, id.value());
        p.setString(2, namespace);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Activation.fromJson(new JsonObject(r.getString(1))) : null;
        }
      }
    });
  }

  @Override
  public Future<Boolean> contains(ActivationId id) {
    Objects.requireNonNull(id, "id");
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.CONTAINS)) {
        p.setString(1, id.value());
        try (ResultSet r = p.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  @Override
  public Future<Buffer> document(String namespace, ActivationId id) {
    return readText(Sql.GET, namespace, id, null);
  }

  @Override
  public Future<Buffer> field(String namespace, ActivationId id, String field) {
    if (!field.matches("[a-z]+")) {
      throw new IllegalArgumentException("not a field of an activation record: " + field);
    }
    return readText(Sql.FIELD, namespace, id, "$." + field);
  }

  private Future<Buffer> readText(String sql, String namespace, ActivationId id, String path) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(id, "id");
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        int i = 1;
        if (path != null) {
          p.setString(i++, path);
        }
        p.setString(i++, id.value());
        p.setString(i, namespace);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            return null;
          }
          String text = r.getString(1);
          return Buffer.buffer(text == null ? "null" : text);
        }
      }
    });
  }

  /** Lists as documented on {@link ActivationStore#summaries}; a {@code limit} of 0 or less means no limit. */
  @Override
  public Future<List<JsonObject>> summaries(ActivationQuery query) {
    return list(Sql.SUMMARIES, query, r -> new JsonObject(r.getString(1)));
  }

  @Override
  public Future<List<ActivationId>> ids(ActivationQuery query) {
    return list(Sql.IDS, query, r -> new ActivationId(r.getString(1)));
  }

  /** One row of a list. */
  private interface RowReader<T> {
    T read(ResultSet r) throws SQLException;
  }

  private <T> Future<List<T>> list(String select, ActivationQuery query, RowReader<T> row) {
    Objects.requireNonNull(query, "query");
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(select + where(query) + Sql.ORDER)) {
        int i = bind(p, query);
        p.setInt(i++, query.limit() > 0 ? query.limit() : -1);
        p.setInt(i, Math.max(0, query.skip()));
        List<T> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(row.read(r));
          }
        }
        return out;
      }
    });
  }

  /** Counts what {@link #summaries} would list without skip and limit. */
  @Override
  public Future<Long> count(ActivationQuery query) {
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

  /** Runs the retention policy now; answers how many records it removed. */
  public Future<Long> enforceRetention() {
    return db.writeInSteps(this::runRetention);
  }

  private long runRetention(Connection c) {
    try {
      long removed = retention.run(c, System.currentTimeMillis());
      records.addAndGet(-removed);
      return removed;
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  /** Stops the periodic retention; records still queued are committed when the database closes. */
  @Override
  public void close() {
    retentionTask.cancel(false);
  }

  private static String where(ActivationQuery q) {
    return Sql.WHERE + (q.name() != null ? Sql.BY_NAME : "") + (q.since() != null ? Sql.SINCE : "")
        + (q.upto() != null ? Sql.UPTO : "");
  }

  private static int bind(PreparedStatement p, ActivationQuery q) throws SQLException {
    int i = 1;
    p.setString(i++, q.namespace());
    if (q.name() != null) {
      p.setString(i++, q.name());
      p.setString(i++, q.name());
    }
    if (q.since() != null) {
      p.setLong(i++, q.since());
    }
    if (q.upto() != null) {
      p.setLong(i++, q.upto());
    }
    return i;
  }
}
