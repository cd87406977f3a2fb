package io.edgewhisk.mqtt.store;

import io.edgewhisk.mqtt.broker.Delivery;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's state in a SQLite file of its own ({@code broker.db} in the plugin's data directory), written
 * by one thread with group commit: every write waiting when a transaction starts goes into it, and all their
 * futures complete after the commit. {@code synchronous = FULL}: a commit is fsync'd, so what the broker
 * acknowledged survives a power cut, not only a crash. Its own file, not the core's database, because the
 * core's runs with {@code synchronous = NORMAL} and one transaction per write, which is neither durable on
 * power loss nor fast enough for a message stream.
 */
public final class SqliteBrokerStore implements BrokerStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteBrokerStore.class);
  private static final int MAX_BATCH = 4096;
  private final Path file;
  private final Context context;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closing;
  private Connection connection;

  private record Op(SqlOp work, Promise<Object> promise) {}

  @FunctionalInterface
  private interface SqlOp {
    Object run(Connection c) throws SQLException;
  }

  public SqliteBrokerStore(Path file, Context context) {
    this.file = Objects.requireNonNull(file, "file");
    this.context = Objects.requireNonNull(context, "context");
    this.writer = new Thread(this::run, "mqtt-store-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  @Override
  public Future<Snapshot> load() {
    return submit(c -> BrokerTables.load(c));
  }

  @Override
  public Future<Void> saveSession(String clientId, long expirySeconds, long disconnectedAt,
                                  List<Subscription> subscriptions) {
    byte[] subs = Codec.subscriptions(subscriptions);
    return submit(c -> BrokerTables.saveSession(c, clientId, expirySeconds, disconnectedAt, subs));
  }

  @Override
  public Future<Void> deleteSession(String clientId) {
    return submit(c -> BrokerTables.deleteSession(c, clientId));
  }

  @Override
  public Future<Void> addMessage(String clientId, Delivery delivery, int packetId) {
    byte[] bytes = Codec.delivery(delivery);
    return submit(c -> BrokerTables.addMessage(c, clientId, delivery.key(), packetId, bytes));
  }

  @Override
  public Future<Void> updateMessage(String clientId, long key, int packetId, boolean released) {
    return submit(c -> BrokerTables.updateMessage(c, clientId, key, packetId, released));
  }

  @Override
  public Future<Void> removeMessage(String clientId, long key) {
    return submit(c -> BrokerTables.removeMessage(c, clientId, key));
  }

  @Override
  public Future<Void> putRetained(PublishedMessage message) {
    byte[] bytes = Codec.message(message);
    return submit(c -> BrokerTables.putRetained(c, message.topic(), bytes));
  }

  @Override
  public Future<Void> removeRetained(String topic) {
    return submit(c -> BrokerTables.removeRetained(c, topic));
  }

  @Override
  public Future<Void> close() {
    Future<Void> last = submit(c -> null);
    closing = true;
    return last;
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> submit(SqlOp work) {
    Promise<Object> p = Promise.promise();
    if (closing) {
      return Future.failedFuture(new IllegalStateException("the MQTT store is closed"));
    }
    queue.add(new Op(work, p));
    return (Future<T>) p.future();
  }

  private void run() {
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = FULL");
        BrokerTables.create(s);
      }
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      LOG.error("cannot open the MQTT store {}: {}", file, e.getMessage());
      failAll(e);
      return;
    }
    List<Op> batch = new ArrayList<>();
    while (!(closing && queue.isEmpty())) {
      try {
        Op first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing the MQTT store: {}", e.getMessage());
    }
  }

  /** Runs a batch in one transaction; if it fails, each op is retried alone so one bad op fails alone. */
  private void commit(List<Op> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    try {
      for (Op op : batch) {
        results.add(op.work().run(connection));
      }
      connection.commit();
      List<Op> done = List.copyOf(batch);
      context.runOnContext(v -> {
        for (int i = 0; i < done.size(); i++) {
          done.get(i).promise().complete(results.get(i));
        }
      });
    } catch (SQLException | RuntimeException e) {
      rollback();
      if (batch.size() == 1) {
        Op op = batch.get(0);
        LOG.error("MQTT store write failed: {}", e.getMessage());
        context.runOnContext(v -> op.promise().fail(e));
      } else {
        for (Op op : batch) {
          commit(new ArrayList<>(List.of(op)));
        }
      }
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.warn("rollback failed: {}", e.getMessage());
    }
  }

  private void failAll(Exception e) {
    closing = true;
    List<Op> left = new ArrayList<>();
    queue.drainTo(left);
    context.runOnContext(v -> left.forEach(op -> op.promise().fail(e)));
  }
}
