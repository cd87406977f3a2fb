package io.edgewhisk.catalog.alarms;

import static io.edgewhisk.catalog.CatalogFixture.await;
import static io.edgewhisk.catalog.CatalogFixture.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.catalog.CatalogFixture;
import io.edgewhisk.catalog.RecordingActivator;
import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.Rule;
import io.edgewhisk.model.RuleStatus;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.store.EntityChange;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler firing real schedules every second through a recording activator. */
class AlarmSchedulerTest {
  @TempDir Path dir;
  private CatalogFixture fx;
  private AlarmsHarness catalog;
  private RecordingActivator activator;
  private Identity guest;

  @BeforeEach
  void open() {
    fx = new CatalogFixture(dir);
    guest = fx.guest();
    startCatalog();
  }

  private void startCatalog() {
    activator = new RecordingActivator();
    // a short retry delay keeps the retry test short
    catalog = new AlarmsHarness(fx, activator, Map.of("retry-attempts", 2, "retry-delay", "200ms"));
  }

  @AfterEach
  void close() {
    catalog.stop();
    fx.close();
  }

  private JsonObject run(String feed, String event, String trigger, JsonObject params) {
    BuiltinAction action = catalog.builtin(feed);
    JsonObject args = params.copy().put("lifecycleEvent", event).put("triggerName", "/guest/" + trigger)
        .put("authKey", guest.authKey());
    return await(action.run(guest, args));
  }

  private JsonObject status(String trigger) {
    return run("alarms/alarm", "READ", trigger, new JsonObject()).getJsonObject("status");
  }

  @Test
  void aSixFieldCronFiresEverySecondAsTheOwnerWithThePayload() throws Exception {
    FullyQualifiedName t = fx.trigger("tick");
    long start = System.currentTimeMillis();
    assertEquals("success", run("alarms/alarm", "CREATE", "tick",
        new JsonObject().put("cron", "* * * * * *").put("trigger_payload", new JsonObject().put("x", 1))).getString("status"));

    assertTrue(within(3_500, () -> activator.firesOf(t) >= 2), "fired " + activator.firesOf(t) + " times");
    RecordingActivator.Fire first = activator.fires.get(0);
    assertEquals(guest, first.who());
    assertEquals(t, first.trigger());
    assertEquals(new JsonObject().put("x", 1), first.payload());
    long gap = activator.fires.get(1).at() - first.at();
    assertTrue(gap >= 500 && gap <= 1_500, "a second apart: " + gap);
    assertTrue(first.at() - start <= 1_500, "the first fire within about a second");
    // fires land on the second boundary (within timer jitter)
    assertTrue(first.at() % 1000 < 500, "at the top of a second: " + first.at());
  }

  @Test
  void maxTriggersStopsTheAlarmAndSaysWhy() throws Exception {
    FullyQualifiedName t = fx.trigger("limited");
    run("alarms/alarm", "CREATE", "limited", new JsonObject().put("cron", "* * * * * *").put("maxTriggers", 2));

    assertTrue(within(4_000, () -> activator.firesOf(t) >= 2));
    Thread.sleep(1_500);
    assertEquals(2, activator.firesOf(t));
    JsonObject status = status("limited");
    assertFalse(status.getBoolean("active"));
    assertEquals(new JsonObject().put("kind", "AUTO").put("message", "Automatically disabled after reaching max triggers"),
        status.getJsonObject("reason"));
  }

  @Test
  void pausedAlarmsDoNotFire() throws Exception {
    FullyQualifiedName t = fx.trigger("quiet");
    run("alarms/alarm", "CREATE", "quiet", new JsonObject().put("cron", "* * * * * *"));
    run("alarms/alarm", "PAUSE", "quiet", new JsonObject());
    long before = activator.firesOf(t);
    Thread.sleep(2_200);
    assertTrue(activator.firesOf(t) - before <= 1, "at most a fire already under way");
    long paused = activator.firesOf(t);
    run("alarms/alarm", "UNPAUSE", "quiet", new JsonObject());
    assertTrue(within(2_500, () -> activator.firesOf(t) > paused));
  }

  @Test
  void theScheduleSurvivesARestart() throws Exception {
    FullyQualifiedName t = fx.trigger("durable");
    run("alarms/alarm", "CREATE", "durable", new JsonObject().put("cron", "* * * * * *").put("trigger_payload", "p"));
    assertTrue(within(2_500, () -> activator.firesOf(t) >= 1));

    catalog.stop();
    fx.reopen();
    guest = fx.guest();
    startCatalog();

    assertTrue(within(3_000, () -> activator.firesOf(t) >= 2), "the new scheduler fires the stored alarm");
    assertEquals(new JsonObject().put("payload", "p"), activator.fires.get(0).payload());
    assertTrue(status("durable").getBoolean("active"));
  }

  @Test
  void missedFiresAreSkippedNotReplayed() throws Exception {
    FullyQualifiedName every = fx.trigger("every");
    FullyQualifiedName once = fx.trigger("once");
    AlarmStore store = catalog.store();
    long now = System.currentTimeMillis();
    long past = now - 60_000;
    // as a scheduler stopped a minute ago left them: 60 fires of the first missed, the second's date passed
    await(store.put(new Alarm(every, "guest", AlarmKind.CRON, "* * * * * *", null, new JsonObject(), null, null, -1,
        "false", new JsonObject().put("cron", "* * * * * *"), 0, false, null, past, past, 1)));
    await(store.put(new Alarm(once, "guest", AlarmKind.ONCE, Long.toString(past), null, new JsonObject(), null, null, -1,
        "false", new JsonObject().put("date", past), 0, false, null, past, past, 1)));

    catalog.stop();
    startCatalog();
    Thread.sleep(1_600);
    long fired = activator.firesOf(every);
    assertTrue(fired >= 1 && fired <= 2, "no burst of missed fires: " + fired);
    assertEquals(0, activator.firesOf(once));
    Alarm expired = await(store.get(once));
    assertFalse(expired.active());
    assertEquals("Automatically disabled after receiving error on trigger initialization: the fire once date has expired",
        expired.disabled().getString("message"));
  }

  @Test
  void aRefusedFireDisablesTheAlarmWithTheStatus() throws Exception {
    FullyQualifiedName t = fx.trigger("refused");
    activator.refuseWith = 404;
    run("alarms/alarm", "CREATE", "refused", new JsonObject().put("cron", "* * * * * *"));
    assertTrue(within(3_000, () -> !status("refused").getBoolean("active")));
    JsonObject reason = status("refused").getJsonObject("reason");
    assertEquals(404, reason.getInteger("statusCode"));
    assertEquals("Automatically disabled after receiving a 404 status code when firing the trigger", reason.getString("message"));
    assertEquals(0, activator.firesOf(t));
  }

  @Test
  void aFailedFireIsRetriedThenTheScheduleGoesOn() throws Exception {
    FullyQualifiedName t = fx.trigger("flaky");
    activator.refuseWith = 503;
    run("alarms/alarm", "CREATE", "flaky", new JsonObject().put("cron", "* * * * * *"));
    Thread.sleep(1_500);
    assertTrue(status("flaky").getBoolean("active"), "a 503 does not disable");
    activator.refuseWith = 0;
    assertTrue(within(2_500, () -> activator.firesOf(t) >= 1));
  }

  @Test
  void onceFiresAtItsDateAndDeletesTheTriggerAndRules() throws Exception {
    FullyQualifiedName t = fx.trigger("single");
    FullyQualifiedName r = FullyQualifiedName.of("guest", "singleRule");
    FullyQualifiedName action = FullyQualifiedName.of("guest", "someAction");
    Trigger stored = (Trigger) await(fx.stores.entities().get(t));
    await(fx.stores.entities().apply(List.of(
        new EntityChange.Create(new Rule(r, SemVer.INITIAL, false, t, action, RuleStatus.ACTIVE, KeyValues.EMPTY, 1)),
        new EntityChange.Update(new Trigger(t, stored.version().bumpPatch(), false, KeyValues.EMPTY, KeyValues.EMPTY,
            Map.of(r, new Trigger.TriggerRule(action, RuleStatus.ACTIVE)), 2), stored.version()))));

    long at = System.currentTimeMillis() + 1_200;
    run("alarms/once", "CREATE", "single", new JsonObject().put("date", Instant.ofEpochMilli(at).toString())
        .put("deleteAfterFire", "rules").put("trigger_payload", new JsonObject().put("once", true)));

    assertTrue(within(3_000, () -> activator.firesOf(t) == 1));
    assertTrue(activator.fires.get(0).at() >= at - 50, "not before its date");
    assertTrue(within(2_000, () -> await(fx.stores.entities().get(t)) == null), "the trigger is deleted");
    assertNull(await(fx.stores.entities().get(r)), "and its rule");
    assertTrue(within(2_000, () -> await(catalog.store().get(t)) == null), "and its alarm");
  }

  @Test
  void onceWithoutDeleteIsDisabledAfterItsFire() throws Exception {
    FullyQualifiedName t = fx.trigger("keep");
    run("alarms/once", "CREATE", "keep", new JsonObject().put("date", System.currentTimeMillis() + 800));
    assertTrue(within(3_000, () -> activator.firesOf(t) == 1));
    assertTrue(within(1_000, () -> !status("keep").getBoolean("active")));
    assertEquals("Automatically disabled after firing once", status("keep").getJsonObject("reason").getString("message"));
    assertNotNull(await(fx.stores.entities().get(t)));
    assertInstanceOf(Trigger.class, await(fx.stores.entities().get(t)));
  }

  @Test
  void aStopDateEndsTheSchedule() throws Exception {
    FullyQualifiedName t = fx.trigger("bounded");
    run("alarms/alarm", "CREATE", "bounded", new JsonObject().put("cron", "* * * * * *")
        .put("stopDate", System.currentTimeMillis() + 2_100));
    assertTrue(within(4_000, () -> !status("bounded").getBoolean("active")));
    long fired = activator.firesOf(t);
    assertTrue(fired >= 1 && fired <= 3, "fired " + fired);
    assertEquals("Automatically disabled after firing last scheduled cron trigger",
        status("bounded").getJsonObject("reason").getString("message"));
    Thread.sleep(1_200);
    assertEquals(fired, activator.firesOf(t));
  }

  @Test
  void intervalsFireFromTheirStartDateEveryInterval() {
    // the arithmetic of the interval feed, without waiting minutes
    long start = 1_000_000;
    Alarm a = new Alarm(FullyQualifiedName.of("guest", "i"), "guest", AlarmKind.INTERVAL, "2", null, new JsonObject(),
        start, start + 600_000, -1, "false", new JsonObject(), 0, false, null, 0, null, 1);
    assertEquals(start, a.nextFireAfter(0));
    assertEquals(start + 120_000, a.nextFireAfter(start));
    assertEquals(start + 240_000, a.nextFireAfter(start + 120_001));
    assertEquals(start + 600_000, a.nextFireAfter(start + 599_999));
    assertNull(a.nextFireAfter(start + 600_000), "nothing after the stop date");
  }
}
