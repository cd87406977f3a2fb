package io.edgewhisk.sync.pull;

import io.edgewhisk.sync.couch.Change;
import io.edgewhisk.sync.couch.ChangeSeq;
import io.edgewhisk.sync.couch.ChangesBatch;
import io.edgewhisk.sync.couch.ChangesQuery;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.link.LinkState;
import io.edgewhisk.sync.state.PullState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one central database's {@code _changes} feed with longpoll requests (heartbeats keep a quiet
 * link open and show a dead one as silence), from the checkpoint in the plugin's tables. Each batch is
 * applied before its last sequence is saved, so a restart resumes exactly after the last applied batch,
 * and an interrupted batch comes again (applying is idempotent). A failure waits with backoff and jitter.
 */
public final class ChangesFollower {
  private static final Logger LOG = LoggerFactory.getLogger(ChangesFollower.class);

  /** How the follower reads: batch size, the longpoll wait and heartbeat. */
  public record Settings(int batchSize, long longpollTimeoutMs, long heartbeatMs) {}

  private final Vertx vertx;
  private final CouchClient couch;
  private final String db;
  private final String feed;
  private final PullState state;
  private final Function<List<Change>, Future<Void>> applier;
  private final Function<Void, Future<Void>> afterBatch;
  private final Settings settings;
  private final Backoff backoff;
  private final LinkState link;
  private final Clock clock;
  private volatile boolean running;
  private volatile ChangeSeq position;
  private volatile long lastBatchAt;

  public ChangesFollower(Vertx vertx, CouchClient couch, String db, String feed, PullState state,
      Function<List<Change>, Future<Void>> applier, Function<Void, Future<Void>> afterBatch, Settings settings,
      Backoff backoff, LinkState link, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.couch = Objects.requireNonNull(couch, "couch");
    this.db = Objects.requireNonNull(db, "db");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.state = Objects.requireNonNull(state, "state");
    this.applier = Objects.requireNonNull(applier, "applier");
    this.afterBatch = Objects.requireNonNull(afterBatch, "afterBatch");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.link = Objects.requireNonNull(link, "link");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public void start() {
    running = true;
    state.checkpoint(feed).onComplete(r -> {
      if (r.failed()) {
        LOG.error("cannot read the {} checkpoint; pull of {} stays off", feed, db, r.cause());
        link.failed("cannot read the checkpoint: " + r.cause().getMessage());
        return;
      }
      position = r.result();
      next();
    });
  }

  /** Stops after the request under way; closing the client ends a waiting longpoll at once. */
  public void stop() {
    running = false;
  }

  /** The sequence after the last applied batch, or null before the checkpoint is read. */
  public ChangeSeq position() {
    return position;
  }

  /** Epoch ms when the last batch (possibly empty) was applied; 0 before. */
  public long lastBatchAt() {
    return lastBatchAt;
  }

  private void next() {
    if (!running) {
      return;
    }
    ChangeSeq since = position;
    couch.changes(db, ChangesQuery.longpoll(since, settings.batchSize(), settings.longpollTimeoutMs(), settings.heartbeatMs()),
            link::succeeded)
        .compose(batch -> applier.apply(batch.results()).map(batch))
        .compose(batch -> state.saveCheckpoint(feed, batch.lastSeq(), clock.millis()).map(batch))
        .compose(batch -> afterBatch.apply(null).map(batch))
        .onComplete(r -> {
          if (r.succeeded()) {
            ChangesBatch b = r.result();
            position = b.lastSeq();
            lastBatchAt = clock.millis();
            backoff.reset();
            if (!b.results().isEmpty()) {
              LOG.debug("{}: applied {} changes up to {}", db, b.results().size(), b.lastSeq());
            }
            next();
          } else {
            link.failed(r.cause().getMessage());
            long wait = backoff.next();
            if (running) {
              LOG.warn("pull of {} failed ({}); trying again in {} ms", db, r.cause().getMessage(), wait);
            }
            vertx.setTimer(wait, t -> next());
          }
        });
  }
}
