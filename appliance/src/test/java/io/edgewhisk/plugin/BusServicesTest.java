package io.edgewhisk.plugin;

import static io.edgewhisk.catalog.CatalogFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.api.FakeKinds;
import io.edgewhisk.catalog.CatalogFixture;
import io.edgewhisk.catalog.RecordingActivator;
import io.edgewhisk.controller.Controllers;
import io.edgewhisk.controller.RefusedFires;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.spi.EntityDocument;
import io.edgewhisk.spi.EntityService;
import io.edgewhisk.spi.FireOutcome;
import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.Subject;
import io.edgewhisk.spi.TriggerService;
import io.edgewhisk.store.CachingEntityStore;
import io.edgewhisk.store.StateBootstrap;
import io.edgewhisk.store.sqlite.SqliteIdentityService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's services as a plugin sees them: typed clients on the event bus, real SQLite behind them. */
class BusServicesTest {
  @TempDir Path dir;
  private CatalogFixture f;
  private RecordingActivator activator;
  private CachingEntityStore entities;
  private Controllers rest;
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();
  private final List<Activation> refusalRecords = new CopyOnWriteArrayList<>();

  @BeforeEach
  void bind() {
    f = new CatalogFixture(dir);
    activator = new RecordingActivator();
    entities = new CachingEntityStore(f.stores.entities(), 100);
    entities.onChanged((changes, origin) -> changes.forEach(c ->
        f.vertx.eventBus().publish(EntityService.CHANGED, FleetEntities.changed(c, origin))));
    f.vertx.eventBus().<JsonObject>consumer(EntityService.CHANGED, m -> published.add(m.body()));
    rest = Controllers.wire(f.config, entities, new FakeKinds(), Clock.systemUTC());
    CoreServices.bind(f.vertx, new TriggerFiring(activator, f.stores.subjects(),
        new RefusedFires(entities, (a, who) -> {
          refusalRecords.add(a);
          return Future.succeededFuture();
        }, Clock.systemUTC())),
        new SqliteIdentityService(f.stores.database(), f.stores.subjects()),
        new FleetEntities(f.config, entities, f.stores.subjects(), new FakeKinds(), Clock.systemUTC()));
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aFireAnswersItsOutcomeAndNeverFails() {
    TriggerService triggers = TriggerService.client(f.vertx);
    FullyQualifiedName t = f.trigger("sensor");
    FireOutcome fired = await(triggers.fire(t.absolute(), new JsonObject().put("v", 1)));
    assertEquals(FireOutcome.Kind.FIRED, fired.kind());
    assertNotNull(fired.activationId());
    assertEquals(1, activator.fires.size());
    assertEquals(StateBootstrap.GUEST, activator.fires.get(0).who().namespace());
    assertEquals(new JsonObject().put("v", 1), activator.fires.get(0).payload());

    activator.refuseWith = 429;
    FireOutcome throttled = await(triggers.fire(t.absolute(), null));
    assertEquals(FireOutcome.Kind.REFUSED, throttled.kind());
    assertEquals(429, throttled.status());
    assertEquals("refused", throttled.message());
    assertEquals(1, refusalRecords.size(), "a throttled fire is recorded as a trigger activation");
    assertEquals(refusalRecords.get(0).activationId().value(), throttled.activationId());
    activator.refuseWith = 404;
    FireOutcome gone = await(triggers.fire(t.absolute(), null));
    assertEquals(404, gone.status());
    assertNull(gone.activationId());
    assertEquals(1, refusalRecords.size(), "only the throttle's refusals are recorded");

    FireOutcome nobody = await(triggers.fire("/nobody/sensor", null));
    assertEquals(403, nobody.status());
    FireOutcome bad = await(triggers.fire("not a name//", null));
    assertEquals(FireOutcome.Kind.REFUSED, bad.kind());
    assertEquals(400, bad.status());
  }

  @Test
  void aBlockedOwnersTriggerIsRefused() {
    FullyQualifiedName t = f.trigger("sensor");
    await(IdentityService.client(f.vertx).block(StateBootstrap.GUEST, true));
    FireOutcome outcome = await(TriggerService.client(f.vertx).fire(t.absolute(), null));
    assertEquals(FireOutcome.Kind.REFUSED, outcome.kind());
    assertEquals(403, outcome.status());
    assertTrue(activator.fires.isEmpty());
  }

  @Test
  void subjectsAreWrittenAndTheCredentialCacheFollowsAtOnce() {
    IdentityService ids = IdentityService.client(f.vertx);
    String key = "k".repeat(64);
    Subject alice = new Subject("alice", "alicens", "11111111-2222-3333-4444-555555555555", key, false,
        new JsonObject().put("firesPerMinute", 5));
    await(ids.put(alice));
    assertEquals(alice, await(ids.byNamespace("alicens")));
    assertEquals(alice, await(ids.byKey(alice.authKey())));
    assertNull(await(ids.byKey(alice.uuid() + ":wrong")));
    assertNotNull(f.stores.subjects().authenticate(alice.uuid(), key));
    assertEquals(5, f.stores.subjects().identityOf("alicens").limits().firesPerMinute());

    await(ids.block("alicens", true));
    assertNull(f.stores.subjects().authenticate(alice.uuid(), key), "a blocked key no longer authenticates");
    assertTrue(await(ids.byNamespace("alicens")).blocked());
    assertTrue(await(ids.list()).stream().anyMatch(s -> s.namespace().equals("alicens")));

    assertTrue(await(ids.delete("alicens")));
    assertFalse(await(ids.delete("alicens")));
    assertNull(f.stores.subjects().identityOf("alicens"));
    ServiceException e = assertThrows(ServiceException.class, () -> await(ids.block("alicens", true)));
    assertEquals(404, e.failureCode());
  }

  @Test
  void aFleetEntityIsValidatedLikeAPutAndALocalWriteOfItAnswers409() throws Exception {
    EntityService es = EntityService.client(f.vertx);
    String name = "/" + StateBootstrap.GUEST + "/fromCloud";
    EntityDocument applied = await(es.applyFromFleet("triggers", name,
        new JsonObject().put("parameters", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("key", "a").put("value", 1)))));
    assertEquals("fleet", applied.origin());
    assertEquals("triggers", applied.type());
    assertEquals("fleet", await(es.get(name)).origin());

    // validated as a REST PUT would be
    ServiceException bad = assertThrows(ServiceException.class,
        () -> await(es.applyFromFleet("triggers", name, new JsonObject().put("parameters", "not a list"))));
    assertEquals(400, bad.failureCode());

    // a REST write or delete of the fleet's entity answers 409 and changes nothing
    var guest = f.guest();
    FullyQualifiedName fqn = FullyQualifiedName.parse(name, null);
    var put = assertThrows(io.edgewhisk.model.WhiskException.class,
        () -> await(rest.triggers().put(guest, fqn, new JsonObject(), true)));
    assertEquals(409, put.status());
    assertTrue(put.getMessage().contains("managed by the fleet"), put.getMessage());
    var delete = assertThrows(io.edgewhisk.model.WhiskException.class, () -> await(rest.triggers().delete(guest, fqn)));
    assertEquals(409, delete.status());
    assertEquals("fleet", await(es.get(name)).origin());

    // the fleet does not delete what was made locally
    FullyQualifiedName local = f.trigger("mine");
    assertEquals("local", await(es.get(local.absolute())).origin());
    ServiceException refused = assertThrows(ServiceException.class, () -> await(es.deleteFromFleet(local.absolute())));
    assertEquals(409, refused.failureCode());

    assertTrue(await(es.deleteFromFleet(name)));
    assertNull(await(es.get(name)));
    assertFalse(await(es.deleteFromFleet(name)));
    assertTrue(CatalogFixture.within(2000, () -> published.stream().anyMatch(
        p -> p.getString("name").equals(name) && p.getString("change").equals("delete") && p.getString("origin").equals("fleet"))));
    assertTrue(published.stream().anyMatch(p -> p.getString("name").equals(name) && p.getString("change").equals("put")
        && "triggers".equals(p.getString("type"))));
  }

  @Test
  void aFleetRuleKeepsTheStatusTheCentralTriggerGaveIt() throws Exception {
    EntityService es = EntityService.client(f.vertx);
    String ns = "/" + StateBootstrap.GUEST + "/";
    await(es.applyFromFleet("triggers", ns + "cloudTrigger", new JsonObject()));
    await(es.applyFromFleet("actions", ns + "cloudAction", new JsonObject().put("exec",
        new JsonObject().put("kind", "nodejs:default").put("code", "function main(p) { return p; }"))));
    EntityDocument rule = await(es.applyFromFleet("rules", ns + "cloudRule", new JsonObject()
        .put("trigger", ns + "cloudTrigger").put("action", ns + "cloudAction").put("status", "inactive")));
    assertEquals("inactive", rule.entity().getString("status"), rule.toString());
    assertEquals("inactive", await(es.get(ns + "cloudRule")).entity().getString("status"));
    JsonObject rules = await(es.get(ns + "cloudTrigger")).entity().getJsonObject("rules");
    assertEquals("inactive", rules.getJsonObject(StateBootstrap.GUEST + "/cloudRule").getString("status"), rules.encode());

    // and a later change of it arrives the same way
    await(es.applyFromFleet("rules", ns + "cloudRule", new JsonObject()
        .put("trigger", ns + "cloudTrigger").put("action", ns + "cloudAction").put("status", "active")));
    assertEquals("active", await(es.get(ns + "cloudRule")).entity().getString("status"));
  }
}
