package io.edgewhisk.log;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;

/**
 * EdgeWhisk's embedded append-only log: topics of records with dense offsets, named consumers with
 * committed offsets, and retention that keeps what a consumer has not committed. It carries work (the
 * {@code invoke} and {@code activations} topics); SQLite keeps state.
 *
 * <p>Every method may be called from any thread or event loop; the futures complete on the caller's
 * Vert.x context, and no I/O happens on the caller's thread. Delivery is at least once: a consumer sees
 * again whatever it had not committed when the process stopped, so consumers dedupe (by activation id).
 */
public interface AppendLog {

  /**
   * Appends a record and answers its offset. A {@code durable} append completes only once the record
   * is on disk (fsync, shared with every append that arrived meanwhile); otherwise it completes once
   * the operating system has the bytes, and a power loss may take it. A failed future means the record
   * may or may not be there after a crash, never that it was acknowledged. The value is copied before
   * this returns, so the caller may reuse its buffer.
   */
  Future<Long> append(Topic topic, Buffer value, boolean durable);

  default Future<Long> append(Topic topic, byte[] value, boolean durable) {
    return append(topic, Buffer.buffer(value), durable);
  }

  /**
   * Reads records from {@code fromOffset} on, at most {@code maxRecords} of them and no more than
   * {@code maxBytes} of values, but always at least one record if there is one. An offset before the
   * topic's start reads from its start (the records carry their offsets, so a gap shows); an offset at
   * or past the end reads nothing.
   */
  Future<List<LogRecord>> read(Topic topic, long fromOffset, int maxRecords, int maxBytes);

  /** The offset the next append to {@code topic} will get (0 for a topic never written). */
  long endOffset(Topic topic);

  /**
   * Registers a consumer of a topic (retention keeps what it has not committed) and answers its
   * committed offset: the next offset it is to read. A new consumer starts at the topic's start.
   */
  Future<Long> register(Topic topic, String consumer);

  /** The consumer's committed offset, or a failed future if it is not registered. */
  Future<Long> committed(Topic topic, String consumer);

  /**
   * Durably records that {@code consumer} has handled every record before {@code nextOffset};
   * registers the consumer if needed. Fails if {@code nextOffset} is past the topic's end.
   */
  Future<Void> commit(Topic topic, String consumer, long nextOffset);

  /** Forgets a consumer, so retention no longer waits for it. */
  Future<Void> unregister(Topic topic, String consumer);

  /**
   * Delivers the topic's records to {@code handler} in batches of at most {@code maxRecords}, on the
   * context of the caller, from the consumer's committed offset on. When the handler's future succeeds
   * the batch is committed and the next one follows as soon as there are records (no polling); when it
   * fails the same batch comes again after the configured redelivery delay. One subscription per
   * consumer at a time.
   */
  Future<Subscription> subscribe(Topic topic, String consumer, int maxRecords,
      Function<List<LogRecord>, Future<?>> handler);

  /**
   * Delivers the topic's records from {@code fromOffset} on, like {@link #subscribe}, but keeps the
   * position in memory only and commits nothing: for a consumer that finishes records out of order and
   * commits what it has finished itself, so that it pays no fsync per batch. Retention does not wait
   * for it; register and commit a consumer for that.
   */
  Future<Subscription> follow(Topic topic, long fromOffset, int maxRecords, Function<List<LogRecord>, Future<?>> handler);

  /** Applies retention and the disk cap now (they also run at every segment roll and periodically). */
  Future<Void> enforceRetention();

  /**
   * Makes every record appended to {@code topic} before this call durable (one fsync, shared with the
   * appends around it). Lets a consumer append records without waiting for their fsync each, and make
   * them durable at once before it commits the offsets that stand for them.
   */
  Future<Void> sync(Topic topic);

  /** What the log holds and whether it is healthy; answered from memory. */
  LogHealth health();

  /** Waits for pending appends, stops the writer and closes the files. */
  Future<Void> close();
}
