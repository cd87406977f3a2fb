package io.edgewhisk.sync.pull;

import io.edgewhisk.spi.EntityService;
import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.link.LinkState;
import io.edgewhisk.sync.state.PullState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central → gateway: follows the {@code whisks} and {@code subjects} databases and applies what is this
 * device's. Documents whose apply failed for a passing reason (an action before its namespace or package
 * arrived) are tried again after each batch of either feed and every {@code retryIntervalMs}, since a quiet
 * feed brings no next batch.
 */
public final class FleetPull {
  private static final Logger LOG = LoggerFactory.getLogger(FleetPull.class);

  /** What pull needs to know beyond its collaborators. */
  public record Settings(String whisksDb, String subjectsDb, ChangesFollower.Settings feed, int attachmentAttempts,
      long attachmentFirstDelayMs, int maxRetries, long backoffInitialMs, long backoffMaxMs, long retryIntervalMs) {}

  private final ChangesFollower whisks;
  private final ChangesFollower subjects;
  private final LinkState link;
  private final Vertx vertx;
  private final EntityPuller entityPuller;
  private final Settings settings;
  private long retryTimer = -1;

  public FleetPull(Vertx vertx, CouchClient couch, EntityService entities, IdentityService identities, PullState state,
      FleetFilter filter, PullReporter reporter, Settings settings, LinkState link, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.link = Objects.requireNonNull(link, "link");
    CodeFetcher code = new CodeFetcher(vertx, couch, settings.whisksDb(), settings.attachmentAttempts(),
        settings.attachmentFirstDelayMs());
    this.entityPuller = new EntityPuller(entities, couch, settings.whisksDb(), code, state, filter, reporter, clock);
    SubjectPuller subjectPuller = new SubjectPuller(identities, couch, settings.subjectsDb(), state, filter, reporter, clock);
    Random random = new Random();
    this.whisks = new ChangesFollower(vertx, couch, settings.whisksDb(), EntityPuller.FEED, state, entityPuller::apply,
        v -> entityPuller.retryFailed(settings.maxRetries()), settings.feed(),
        new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs(), random), link, clock);
    this.subjects = new ChangesFollower(vertx, couch, settings.subjectsDb(), SubjectPuller.FEED, state, subjectPuller::apply,
        v -> entityPuller.retryFailed(settings.maxRetries()).otherwiseEmpty(), settings.feed(),
        new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs(), random), link, clock);
  }

  public void start() {
    subjects.start();
    whisks.start();
    retryTimer = vertx.setPeriodic(settings.retryIntervalMs(), id -> entityPuller.retryFailed(settings.maxRetries())
        .onFailure(e -> LOG.debug("retrying failed central documents: {}", e.getMessage())));
  }

  public void stop() {
    vertx.cancelTimer(retryTimer);
    whisks.stop();
    subjects.stop();
  }

  public ChangesFollower whisks() {
    return whisks;
  }

  public ChangesFollower subjects() {
    return subjects;
  }

  public LinkState link() {
    return link;
  }
}
