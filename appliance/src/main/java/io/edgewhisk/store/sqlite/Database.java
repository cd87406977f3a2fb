package io.edgewhisk.store.sqlite;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * EdgeWhisk's SQLite database: the one class that touches JDBC's connections. Every write runs, in its own
 * immediate transaction, on the one writer thread that owns the write connection; reads run on a small pool
 * of read connections on threads of their own. Both answer with a future completed on the caller's Vert.x
 * context, so no event loop ever waits on the disk. The file is in WAL mode with a busy timeout, so that the
 * admin CLI, another process, can write while the server runs.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final Vertx vertx;
  private final Path file;
  private final Connection writeConnection;
  private final ScheduledExecutorService writer;
  private final ExecutorService readers;
  private final BlockingQueue<Connection> readConnections;
  private final List<Connection> allReadConnections;

  private Database(Vertx vertx, Path file, StoreConfig config, Connection writeConnection, List<Connection> reads) {
    this.vertx = vertx;
    this.file = file;
    this.writeConnection = writeConnection;
    this.allReadConnections = List.copyOf(reads);
    this.readConnections = new ArrayBlockingQueue<>(reads.size(), false, reads);
    this.writer = Executors.newSingleThreadScheduledExecutor(named("edgewhisk-db-writer", false));
    this.readers = Executors.newFixedThreadPool(reads.size(), named("edgewhisk-db-reader", true));
  }

  /**
   * Opens (creating if need be, with mode 0600, since it holds keys) {@code <stateDir>/<config.database()>},
   * and brings its schema up to date. Blocks: call it at start-up, not on an event loop. Fails with an
   * {@link IllegalStateException} whose message says why when the database is newer than this build.
   */
  public static Database open(Vertx vertx, Path stateDir, StoreConfig config) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(config, "config");
    Path file = stateDir.resolve(config.database());
    createPrivately(file);
    SqliteNativeLibrary.useKeptCopy();
    List<Connection> opened = new ArrayList<>();
    try {
      Connection write = connect(file, config, false);
      opened.add(write);
      Migrations.apply(write, file.toString());
      List<Connection> reads = new ArrayList<>();
      for (int i = 0; i < config.readers(); i++) {
        Connection read = connect(file, config, true);
        opened.add(read);
        reads.add(read);
      }
      LOG.info("Opened {} (schema version {})", file, Migrations.current(write));
      return new Database(vertx, file, config, write, reads);
    } catch (SQLException | RuntimeException e) {
      opened.forEach(Database::closeQuietly);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("Cannot open the database " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * Runs {@code work} on the writer in one immediate transaction (all or nothing). A {@code WhiskException}
   * thrown by the work rolls back and fails the future as it is; SQL errors are translated by
   * {@link SqlErrors}.
   */
  public <T> Future<T> write(SqlWork<T> work) {
    Objects.requireNonNull(work, "work");
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      writer.execute(() -> complete(context, promise, () -> Transactions.inImmediate(writeConnection, () -> work.run(writeConnection))));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return Future.failedFuture(SqlErrors.translate(new IllegalStateException("the database is closed")));
    }
    return promise.future();
  }

  /** Runs {@code work} on a read connection in one read transaction (a consistent snapshot). */
  public <T> Future<T> read(SqlWork<T> work) {
    Objects.requireNonNull(work, "work");
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      readers.execute(() -> {
        Connection c = readConnections.poll();
        // one thread per connection: there is always one free for this thread
        try {
          complete(context, promise, () -> Transactions.inDeferred(c, () -> work.run(c)));
        } finally {
          readConnections.add(c);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return Future.failedFuture(SqlErrors.translate(new IllegalStateException("the database is closed")));
    }
    return promise.future();
  }

  /**
   * Runs {@code work} on the writer with the write connection but no transaction around it: for work that
   * commits in steps of its own (retention deletes in chunks so as not to hold the write lock for long).
   */
  <T> Future<T> writeInSteps(SqlWork<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      writer.execute(() -> complete(context, promise, () -> work.run(writeConnection)));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return Future.failedFuture(SqlErrors.translate(new IllegalStateException("the database is closed")));
    }
    return promise.future();
  }

  /** The caller's context, for work that completes its promises itself. */
  Context callerContext() {
    return vertx.getOrCreateContext();
  }

  /**
   * Runs {@code task} on the writer thread after {@code delay}, outside any transaction: for the activation
   * store's batches, which manage their own transactions and promises.
   */
  void onWriterAfter(Duration delay, Runnable task) {
    writer.schedule(guarded("scheduled write", task), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code task} on the writer thread now (see {@link #onWriterAfter}). */
  void onWriter(Runnable task) {
    writer.execute(guarded("write", task));
  }

  /** Runs {@code task} on the writer thread every {@code period}, logging (not stopping on) failures. */
  ScheduledFuture<?> onWriterEvery(Duration period, String what, Runnable task) {
    long nanos = period.toNanos();
    return writer.scheduleWithFixedDelay(guarded(what, task), nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** The write connection, for work already running on the writer thread. */
  Connection writeConnection() {
    return writeConnection;
  }

  /** Completes {@code promise} with the outcome of {@code body}, on the caller's context. */
  static <T> void complete(Context context, Promise<T> promise, SqlWork.Body<T> body) {
    try {
      T result = body.run();
      context.runOnContext(v -> promise.complete(result));
    } catch (Throwable t) {
      context.runOnContext(v -> promise.fail(SqlErrors.translate(t)));
    }
  }

  /** Finishes the work already queued, then closes every connection. Blocks until done. */
  @Override
  public void close() {
    writer.shutdown();
    readers.shutdown();
    try {
      if (!writer.awaitTermination(30, TimeUnit.SECONDS) || !readers.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Closing {} before its queued work finished", file);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.shutdownNow();
    readers.shutdownNow();
    allReadConnections.forEach(Database::closeQuietly);
    closeQuietly(writeConnection);
  }

  /**
   * Does ahead of the first {@link #open} what it would otherwise do first, on the caller's thread: points
   * the driver at the kept copy of its native library, loads it, and runs the driver's first configuration
   * (its date format's start-up alone costs a cold JVM ~30 ms). For a start that has a core to spare
   * (StartupOverlap); a failure here is left for {@code open} to meet and report.
   */
  public static void prepareDriver() {
    try {
      SqliteNativeLibrary.useKeptCopy();
      org.sqlite.SQLiteJDBCLoader.initialize();
      new SQLiteConfig().toProperties();
    } catch (Exception e) {
      LOG.debug("SQLite's driver not prepared ahead: {}", e.toString());
    }
  }

  private static Connection connect(Path file, StoreConfig config, boolean readOnly) throws SQLException {
    SQLiteConfig c = new SQLiteConfig();
    c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    c.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, config.busyTimeout().toMillis()));
    c.enforceForeignKeys(true);
    Connection connection = c.createConnection("jdbc:sqlite:" + file);
    if (readOnly) {
      // query_only rather than a read-only open: a read-only connection cannot create the WAL's shared memory
      try (java.sql.Statement s = connection.createStatement()) {
        s.execute("PRAGMA query_only = true");
      } catch (SQLException e) {
        closeQuietly(connection);
        throw e;
      }
    }
    return connection;
  }

  private static void createPrivately(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // an existing database keeps the mode it has
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: SQLite creates the file with the process's defaults
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the database " + file, e);
    }
  }

  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("Database {} failed", what, e);
      }
    };
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a connection failed", e);
    }
  }

  private static ThreadFactory named(String prefix, boolean numbered) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, numbered ? prefix + "-" + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }
}
