package io.edgewhisk.sync.pull;

import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.Subject;
import io.edgewhisk.sync.couch.Change;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.state.PullState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies a batch of the central {@code subjects} feed: for each served namespace of a subject document its
 * {@code uuid:key} and {@code blocked} flag, with the limits of its {@code <ns>/limits} document, so central
 * keys work at the gateway offline. Rotations, revocations and deletions arrive the same way.
 */
public final class SubjectPuller {
  public static final String FEED = "subjects";
  private static final String LIMITS_SUFFIX = "/limits";
  /** The namespace limits the gateway enforces, as OpenWhisk names them. */
  private static final Set<String> LIMIT_FIELDS =
      Set.of("invocationsPerMinute", "concurrentInvocations", "firesPerMinute", "allowedKinds", "storeActivations");

  private final IdentityService identities;
  private final CouchClient couch;
  private final String db;
  private final PullState state;
  private final FleetFilter filter;
  private final PullReporter reporter;
  private final Clock clock;

  public SubjectPuller(IdentityService identities, CouchClient couch, String db, PullState state, FleetFilter filter,
      PullReporter reporter, Clock clock) {
    this.identities = Objects.requireNonNull(identities, "identities");
    this.couch = Objects.requireNonNull(couch, "couch");
    this.db = Objects.requireNonNull(db, "db");
    this.state = Objects.requireNonNull(state, "state");
    this.filter = Objects.requireNonNull(filter, "filter");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Future<Void> apply(List<Change> batch) {
    Map<String, Change> latest = new LinkedHashMap<>();
    batch.forEach(c -> {
      latest.remove(c.id());
      latest.put(c.id(), c);
    });
    Future<Void> chain = Future.succeededFuture();
    for (Change c : latest.values()) {
      chain = chain.compose(v -> applyOne(c)
          .compose(x -> state.clearError(FEED, c.id()))
          .onSuccess(x -> reporter.applied(FEED, c.id()))
          .recover(e -> {
            boolean retry = !(e instanceof MalformedDocumentException);
            reporter.failed(FEED, c.id(), e.getMessage(), retry);
            return state.recordError(FEED, c.id(), e.getMessage(), retry, clock.millis());
          }));
    }
    return chain;
  }

  private Future<Void> applyOne(Change c) {
    if (c.id().startsWith("_design/")) {
      return Future.succeededFuture();
    }
    if (c.id().endsWith(LIMITS_SUFFIX)) {
      String ns = c.id().substring(0, c.id().length() - LIMITS_SUFFIX.length());
      return filter.serves(ns) ? limitsChanged(ns, c.deleted() ? null : c.doc()) : Future.succeededFuture();
    }
    if (c.deleted() || c.doc() == null) {
      return removeSubject(c.id(), List.of());
    }
    return putSubject(c.doc());
  }

  private Future<Void> putSubject(JsonObject doc) {
    String subject = doc.getString("subject", doc.getString("_id"));
    if (!(doc.getValue("namespaces") instanceof JsonArray namespaces)) {
      throw new MalformedDocumentException("a subject document without a namespaces list");
    }
    boolean blocked = doc.getBoolean("blocked", false);
    List<String> served = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Object o : namespaces) {
      if (!(o instanceof JsonObject ns) || !(ns.getValue("name") instanceof String name)
          || !(ns.getValue("uuid") instanceof String uuid) || !(ns.getValue("key") instanceof String key)) {
        throw new MalformedDocumentException("a namespace entry without name, uuid and key");
      }
      if (!filter.serves(name)) {
        continue;
      }
      served.add(name);
      chain = chain.compose(v -> couch.find(db, name + LIMITS_SUFFIX))
          .compose(limits -> identities.put(new Subject(subject, name, uuid, key, blocked, limitsOf(limits))))
          .compose(v -> state.saveSubjectNamespace(subject, name));
    }
    return chain.compose(v -> removeSubject(subject, served));
  }

  /** Deletes the subject's namespaces that pull made and that are not in {@code keep}. */
  private Future<Void> removeSubject(String subject, List<String> keep) {
    return state.subjectNamespaces(subject).compose(known -> {
      Future<Void> chain = Future.succeededFuture();
      for (String ns : known) {
        if (!keep.contains(ns)) {
          chain = chain.compose(v -> identities.delete(ns)).compose(v -> state.forgetSubjectNamespace(subject, ns));
        }
      }
      return chain;
    });
  }

  /** New limits for a namespace pull made; one that is only local keeps its own. */
  private Future<Void> limitsChanged(String ns, JsonObject limitsDoc) {
    return state.isFleetNamespace(ns).compose(fleet -> !fleet ? Future.succeededFuture()
        : identities.byNamespace(ns).compose(s -> s == null ? Future.succeededFuture()
            : identities.put(new Subject(s.subject(), s.namespace(), s.uuid(), s.key(), s.blocked(), limitsOf(limitsDoc)))));
  }

  static JsonObject limitsOf(JsonObject doc) {
    JsonObject out = new JsonObject();
    if (doc != null) {
      LIMIT_FIELDS.forEach(f -> {
        if (doc.containsKey(f)) {
          out.put(f, doc.getValue(f));
        }
      });
    }
    return out;
  }
}
