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

/**
 * Central → gateway: follows the {@code whisks} and {@code subjects} databases and applies what is this
 * device's. Documents whose apply failed for a passing reason are tried again after each batch.
 */
public final class FleetPull {
  /** What pull needs to know beyond its collaborators. */
  public record Settings(String whisksDb, String subjectsDb, ChangesFollower.Settings feed, int attachmentAttempts,
      long attachmentFirstDelayMs, int maxRetries, long backoffInitialMs, long backoffMaxMs) {}

  private final ChangesFollower whisks;
  private final ChangesFollower subjects;
  private final LinkState link;

  public FleetPull(Vertx vertx, CouchClient couch, EntityService entities, IdentityService identities, PullState state,
      FleetFilter filter, PullReporter reporter, Settings settings, LinkState link, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    this.link = Objects.requireNonNull(link, "link");
    CodeFetcher code = new CodeFetcher(vertx, couch, settings.whisksDb(), settings.attachmentAttempts(),
        settings.attachmentFirstDelayMs());
    EntityPuller entityPuller = new EntityPuller(entities, couch, settings.whisksDb(), code, state, filter, reporter, clock);
    SubjectPuller subjectPuller = new SubjectPuller(identities, couch, settings.subjectsDb(), state, filter, reporter, clock);
    Random random = new Random();
    this.whisks = new ChangesFollower(vertx, couch, settings.whisksDb(), EntityPuller.FEED, state, entityPuller::apply,
        v -> entityPuller.retryFailed(settings.maxRetries()), settings.feed(),
        new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs(), random), link, clock);
    this.subjects = new ChangesFollower(vertx, couch, settings.subjectsDb(), SubjectPuller.FEED, state, subjectPuller::apply,
        v -> Future.succeededFuture(), settings.feed(),
        new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs(), random), link, clock);
  }

  public void start() {
    subjects.start();
    whisks.start();
  }

  public void stop() {
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
