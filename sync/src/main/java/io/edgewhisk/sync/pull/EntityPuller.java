package io.edgewhisk.sync.pull;

import io.edgewhisk.spi.EntityDocument;
import io.edgewhisk.spi.EntityService;
import io.edgewhisk.sync.couch.Change;
import io.edgewhisk.sync.couch.ChangeSeq;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.state.PullState;
import io.edgewhisk.sync.state.PullState.FleetEntity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch of the central {@code whisks} feed to the gateway's entities through the SPI: the
 * latest change per document, puts in dependency order, then removals (deleted, or no longer matching the
 * device's labels). Every document is applied or reported on its own, so one bad document never stops
 * the batch; applying a change twice changes nothing.
 */
public final class EntityPuller {
  public static final String FEED = "whisks";
  private static final Logger LOG = LoggerFactory.getLogger(EntityPuller.class);

  private final EntityService entities;
  private final CouchClient couch;
  private final String db;
  private final CodeFetcher code;
  private final PullState state;
  private final FleetFilter filter;
  private final PullReporter reporter;
  private final Clock clock;
  private Future<Void> turn = Future.succeededFuture();

  public EntityPuller(EntityService entities, CouchClient couch, String db, CodeFetcher code, PullState state,
      FleetFilter filter, PullReporter reporter, Clock clock) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.couch = Objects.requireNonNull(couch, "couch");
    this.db = Objects.requireNonNull(db, "db");
    this.code = Objects.requireNonNull(code, "code");
    this.state = Objects.requireNonNull(state, "state");
    this.filter = Objects.requireNonNull(filter, "filter");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Applies the batch; the future fails only when the plugin's own state cannot be written. */
  public Future<Void> apply(List<Change> batch) {
    return inTurn(() -> applyNow(batch));
  }

  /**
   * One batch or retry at a time (the whisks feed, the retry timer and the subjects feed all apply documents),
   * so that two never interleave their writes of the same entity and its state. Called on the plugin's context.
   */
  private Future<Void> inTurn(Supplier<Future<Void>> work) {
    Future<Void> mine = turn.transform(previous -> work.get());
    turn = mine.otherwiseEmpty();
    return mine;
  }

  private Future<Void> applyNow(List<Change> batch) {
    Map<String, Change> latest = new LinkedHashMap<>();
    for (Change c : batch) {
      if (filter.servesId(c.id())) {
        latest.remove(c.id());
        latest.put(c.id(), c);
      }
    }
    Map<String, JsonObject> docs = new HashMap<>();
    List<MappedEntity> puts = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    List<String> removals = new ArrayList<>();
    for (Change c : latest.values()) {
      if (c.deleted() || c.doc() == null) {
        removals.add(c.id());
      } else if (EntityMapping.isEntity(c.doc())) {
        docs.put(c.id(), c.doc());
        if (!filter.matches(c.doc())) {
          removals.add(c.id());
          continue;
        }
        try {
          puts.add(EntityMapping.map(c.doc()));
        } catch (MalformedDocumentException | UnsupportedEntityException e) {
          failures.add(new Failure(c.id(), e.getMessage()));
        }
      }
    }
    puts.sort(Comparator.comparing(MappedEntity::kind));
    Future<Void> chain = Future.succeededFuture();
    for (Failure f : failures) {
      chain = chain.compose(v -> fail(f.docId(), f.reason(), false));
    }
    for (MappedEntity m : puts) {
      chain = chain.compose(v -> put(m, docs::get));
    }
    for (String id : removals) {
      chain = chain.compose(v -> remove(id));
    }
    return chain;
  }

  private record Failure(String docId, String reason) {}

  /**
   * Tries again the documents whose apply failed for a reason that can pass (a rule whose action had not
   * arrived yet, the bus busy): each is read again from the central database and applied as a change.
   */
  public Future<Void> retryFailed(int maxAttempts) {
    return inTurn(() -> retryNow(maxAttempts));
  }

  private Future<Void> retryNow(int maxAttempts) {
    return state.errors(FEED, 200).compose(errors -> {
      Future<Void> chain = Future.succeededFuture();
      for (PullState.PullError e : errors) {
        if (e.retry() && e.attempts() < maxAttempts) {
          chain = chain.compose(v -> couch.find(db, e.docId())).compose(doc ->
              applyNow(List.of(new Change(ChangeSeq.START, e.docId(), doc == null ? null : doc.getString("_rev"), doc == null, doc))));
        }
      }
      return chain;
    });
  }

  /** Applies one entity; a failure is recorded against the document, never returned. */
  Future<Void> put(MappedEntity m, Function<String, JsonObject> batchDocs) {
    return state.entity(m.id()).compose(known -> {
      if (known != null && m.rev() != null && m.rev().equals(known.rev())) {
        return Future.succeededFuture(); // this revision is applied already
      }
      return body(m, batchDocs)
          .compose(body -> checkLocal(m, known).compose(v -> entities.applyFromFleet(m.kind().collection(), m.name(), body))
              .compose(applied -> state.saveEntity(new FleetEntity(m.id(), m.name(), m.kind().name(), m.rev(),
                  m.kind() == EntityKind.RULE ? body : null))))
          .compose(v -> m.kind() == EntityKind.TRIGGER ? restateRules(m.id(), batchDocs.apply(m.id())) : Future.succeededFuture())
          .compose(v -> state.clearError(FEED, m.id()))
          .onSuccess(v -> reporter.applied(FEED, m.id()))
          .recover(e -> fail(m.id(), reasonOf(e),
              !(e instanceof MalformedDocumentException || e instanceof UnsupportedEntityException)));
    });
  }

  /** The PUT body, with fetched code or a rule's status from its trigger. */
  private Future<JsonObject> body(MappedEntity m, Function<String, JsonObject> batchDocs) {
    if (m.code() instanceof CodeSource.Attachment a) {
      return code.fetch(m.id(), a.name()).map(m::withCode);
    }
    if (m.kind() == EntityKind.RULE) {
      JsonObject inBatch = batchDocs.apply(m.triggerId());
      Future<JsonObject> trigger = inBatch != null ? Future.succeededFuture(inBatch) : couch.find(db, m.triggerId());
      return trigger.map(t -> m.withStatus(statusIn(t, m.id())));
    }
    return Future.succeededFuture(m.body());
  }

  private static String statusIn(JsonObject trigger, String ruleId) {
    JsonObject rules = trigger == null ? null : trigger.getJsonObject("rules");
    JsonObject entry = rules == null ? null : rules.getJsonObject(ruleId);
    return entry == null ? "active" : entry.getString("status", "active");
  }

  /**
   * A rule's status changes in its trigger's document only (OpenWhisk's POST …/rules/r), so every fleet rule
   * named in the trigger's map is applied again with the status there.
   */
  private Future<Void> restateRules(String triggerId, JsonObject trigger) {
    JsonObject rules = trigger == null ? null : trigger.getJsonObject("rules");
    if (rules == null || rules.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<Void> chain = Future.succeededFuture();
    for (String ruleId : rules.fieldNames()) {
      String status = statusIn(trigger, ruleId);
      chain = chain.compose(v -> state.entity(ruleId)).compose(rule -> {
        if (rule == null || rule.body() == null || status.equals(rule.body().getString("status"))) {
          return Future.succeededFuture();
        }
        JsonObject body = rule.body().copy().put("status", status);
        return entities.applyFromFleet(EntityKind.RULE.collection(), rule.name(), body)
            .compose(d -> state.saveEntity(new FleetEntity(rule.docId(), rule.name(), rule.kind(), rule.rev(), body)))
            .recover(e -> fail(ruleId, "status " + status + ": " + reasonOf(e), true));
      });
    }
    return chain;
  }

  /** The first time a name arrives, a local entity of that name is replaced: say so. */
  private Future<Void> checkLocal(MappedEntity m, FleetEntity known) {
    if (known != null) {
      return Future.succeededFuture();
    }
    return entities.get(m.name()).compose(existing -> {
      if (existing != null && EntityDocument.LOCAL.equals(existing.origin())) {
        LOG.warn("the central {} {} replaces the local one of that name", m.kind().collection(), m.name());
        reporter.replacedLocal(m.name());
        return state.recordReplaced(m.name(), clock.millis());
      }
      return Future.succeededFuture();
    });
  }

  /** Removes an entity pull had applied; one it never applied is not its business. */
  Future<Void> remove(String docId) {
    return state.entity(docId).compose(known -> {
      if (known == null) {
        return state.clearError(FEED, docId);
      }
      return entities.deleteFromFleet(known.name())
          .compose(v -> state.forgetEntity(docId))
          .compose(v -> state.clearError(FEED, docId))
          .onSuccess(v -> reporter.removed(FEED, docId))
          .recover(e -> fail(docId, "removing " + known.name() + ": " + reasonOf(e), true));
    });
  }

  /**
   * What stopped a document, for the log and {@code edgewhisk sync status}: its message, and for a wait cut
   * short by the plugin stopping (a cancelled timer or request, which carry no message) what that means.
   */
  static String reasonOf(Throwable e) {
    if (e instanceof CancellationException) {
      return "the pull stopped before it was applied";
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private Future<Void> fail(String docId, String reason, boolean retry) {
    LOG.warn("central document {} not applied{}: {}", docId, retry ? " (will retry)" : "", reason);
    reporter.failed(FEED, docId, reason, retry);
    return state.recordError(FEED, docId, reason, retry, clock.millis());
  }
}
