package io.edgewhisk.catalog.alarms;

import static io.edgewhisk.catalog.CatalogFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.catalog.CatalogFixture;
import io.edgewhisk.catalog.RecordingActivator;
import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed actions' lifecycle events against a real store, as a client's {@code wsk trigger create --feed} drives them. */
class AlarmFeedTest {
  @TempDir Path dir;
  private CatalogFixture fx;
  private AlarmsHarness catalog;
  private Identity guest;
  private FullyQualifiedName trigger;

  @BeforeEach
  void open() {
    fx = new CatalogFixture(dir);
    catalog = new AlarmsHarness(fx, new RecordingActivator(), java.util.Map.of());
    guest = fx.guest();
    trigger = fx.trigger("t");
  }

  @AfterEach
  void close() {
    catalog.stop();
    fx.close();
  }

  private BuiltinAction feed(String name) {
    return catalog.builtin(name);
  }

  private JsonObject run(String feed, String event, JsonObject params) {
    JsonObject args = params.copy()
        .put("lifecycleEvent", event)
        .put("triggerName", "/guest/t")
        .put("authKey", guest.authKey());
    return await(feed(feed).run(guest, args));
  }

  private static JsonObject p() {
    return new JsonObject();
  }

  private static void assertError(String expected, JsonObject result) {
    assertTrue(result.getString("error", "").contains(expected), () -> "expected error '" + expected + "' in " + result);
  }

  private static String future(long millis) {
    return Instant.now().plusMillis(millis).toString();
  }

  @Test
  void theBuiltinsAreTheThreeFeeds() {
    assertEquals(java.util.Set.of("alarms/alarm", "alarms/once", "alarms/interval"),
        java.util.Set.copyOf(catalog.feeds()));
  }

  @Test
  void createReadPauseUnpauseUpdateDelete() {
    JsonObject created = run("alarms/alarm", "CREATE", p().put("cron", "0 0 1 1 *").put("trigger_payload", "hello"));
    assertEquals(new JsonObject().put("status", "success"), created);

    JsonObject read = run("alarms/alarm", "READ", p());
    JsonObject config = read.getJsonObject("config");
    assertEquals("t", config.getString("name"));
    assertEquals("guest", config.getString("namespace"));
    assertEquals(new JsonObject().put("payload", "hello"), config.getJsonObject("payload"));
    assertEquals("0 0 1 1 *", config.getString("cron"));
    assertTrue(read.getJsonObject("status").getBoolean("active"));
    assertTrue(read.getJsonObject("status").getString("dateChangedISO").endsWith("Z"));

    assertEquals("success", run("alarms/alarm", "PAUSE", p()).getString("status"));
    JsonObject paused = run("alarms/alarm", "READ", p()).getJsonObject("status");
    assertFalse(paused.getBoolean("active"));
    assertEquals("USER", paused.getJsonObject("reason").getString("kind"));
    assertEquals("success", run("alarms/alarm", "UNPAUSE", p()).getString("status"));
    assertTrue(run("alarms/alarm", "READ", p()).getJsonObject("status").getBoolean("active"));

    assertEquals("success", run("alarms/alarm", "UPDATE",
        p().put("cron", "*/5 * * * *").put("trigger_payload", new JsonObject().put("a", 1))).getString("status"));
    JsonObject updated = run("alarms/alarm", "READ", p()).getJsonObject("config");
    assertEquals("*/5 * * * *", updated.getString("cron"));
    assertEquals(new JsonObject().put("a", 1), updated.getJsonObject("payload"));
    assertError("no updatable parameters were specified", run("alarms/alarm", "UPDATE", p()));

    assertEquals("success", run("alarms/alarm", "DELETE", p()).getString("status"));
    assertError("could not find the alarm", run("alarms/alarm", "READ", p()));
    assertError("could not find the alarm", run("alarms/alarm", "DELETE", p()));
    assertNull(await(catalog.store().get(trigger)));
  }

  @Test
  void badCronIsAnApplicationErrorAndStoresNothing() {
    assertError("cron pattern '* * *' is not valid", run("alarms/alarm", "CREATE", p().put("cron", "* * *")));
    assertError("cron pattern '61 * * * *' is not valid", run("alarms/alarm", "CREATE", p().put("cron", "61 * * * *")));
    assertError("alarms trigger feed is missing the cron parameter", run("alarms/alarm", "CREATE", p()));
    assertError("timezone parameter 'Mars/Base' is not a valid time zone",
        run("alarms/alarm", "CREATE", p().put("cron", "* * * * *").put("timezone", "Mars/Base")));
    assertError("could not find the alarm", run("alarms/alarm", "READ", p()));
  }

  @Test
  void datesAndLimitsAreCheckedAsOpenWhiskChecksThem() {
    assertError("startDate parameter 'soon' is not a valid Date",
        run("alarms/alarm", "CREATE", p().put("cron", "* * * * *").put("startDate", "soon")));
    assertError("stopDate parameter '2001-01-01T00:00:00Z' must be in the future",
        run("alarms/alarm", "CREATE", p().put("cron", "* * * * *").put("stopDate", "2001-01-01T00:00:00Z")));
    assertError("must be greater than the startDate parameter",
        run("alarms/alarm", "CREATE", p().put("cron", "* * * * *").put("startDate", future(7_200_000))
            .put("stopDate", future(3_600_000))));
    assertError("maxTriggers is not allowed when the stopDate parameter is specified",
        run("alarms/alarm", "CREATE", p().put("cron", "* * * * *").put("maxTriggers", 3).put("stopDate", future(3_600_000))));
    assertError("the first scheduled trigger fire is not until after the stop date",
        run("alarms/alarm", "CREATE", p().put("cron", "0 0 1 1 *").put("stopDate", future(3_600_000))));
    assertError("cron pattern is limited to 5 fields", runLimited());

    assertError("alarms once trigger feed is missing the date parameter", run("alarms/once", "CREATE", p()));
    assertError("date parameter '2001-01-01' must be in the future", run("alarms/once", "CREATE", p().put("date", "2001-01-01")));
    assertError("deleteAfterFire parameter must be one of [false, true, rules].",
        run("alarms/once", "CREATE", p().put("date", future(60_000)).put("deleteAfterFire", "maybe")));

    assertError("interval trigger feed is missing the minutes parameter", run("alarms/interval", "CREATE", p()));
    assertError("the minutes parameter must be an integer", run("alarms/interval", "CREATE", p().put("minutes", "1.5")));
    assertError("the minutes parameter must be an integer greater than zero",
        run("alarms/interval", "CREATE", p().put("minutes", -2)));
    assertError("maxTriggers is not supported for the interval trigger feed",
        run("alarms/interval", "CREATE", p().put("minutes", 1).put("maxTriggers", 3).put("stopDate", future(3_600_000))));

    assertError("could not find the alarm", run("alarms/alarm", "READ", p()));
  }

  /** With {@code limit-cron-fields} on: a second harness on the same state, with that setting. */
  private JsonObject runLimited() {
    catalog.stop();
    catalog = new AlarmsHarness(fx, new RecordingActivator(), java.util.Map.of("limit-cron-fields", true));
    return run("alarms/alarm", "CREATE", p().put("cron", "*/10 * * * * *"));
  }

  @Test
  void onceAndIntervalReadBackTheirConfiguration() {
    String date = future(3_600_000);
    run("alarms/once", "CREATE", p().put("date", date).put("deleteAfterFire", "Rules"));
    JsonObject once = run("alarms/once", "READ", p()).getJsonObject("config");
    assertEquals(date, once.getString("date"));
    assertEquals("rules", once.getString("deleteAfterFire"));
    assertEquals(new JsonObject(), once.getJsonObject("payload"));

    run("alarms/interval", "CREATE", p().put("minutes", "15"));
    JsonObject interval = run("alarms/interval", "READ", p()).getJsonObject("config");
    assertEquals(15L, interval.getLong("minutes"));
    long start = interval.getLong("startDate");
    assertTrue(Math.abs(start - (System.currentTimeMillis() + 30_000)) < 5_000, "starts 30 s from now: " + start);
    assertFalse(interval.containsKey("date"));
  }

  @Test
  void theAuthKeyMustOwnAnExistingTrigger() {
    JsonObject wrongKey = p().put("lifecycleEvent", "CREATE").put("triggerName", "/guest/t")
        .put("authKey", guest.uuid() + ":not-the-key").put("cron", "* * * * *");
    assertError("Trigger authentication request failed.", await(feed("alarms/alarm").run(guest, wrongKey)));

    Identity other = await(fx.stores.subjects().create("other", "other"));
    JsonObject foreign = p().put("lifecycleEvent", "CREATE").put("triggerName", "/guest/t")
        .put("authKey", other.authKey()).put("cron", "* * * * *");
    assertError("Trigger authentication request failed.", await(feed("alarms/alarm").run(other, foreign)));

    JsonObject missing = p().put("lifecycleEvent", "CREATE").put("triggerName", "/guest/nope")
        .put("authKey", guest.authKey()).put("cron", "* * * * *");
    assertError("Trigger authentication request failed.", await(feed("alarms/alarm").run(guest, missing)));

    assertError("no authKey parameter was provided", await(feed("alarms/alarm").run(guest,
        p().put("lifecycleEvent", "CREATE").put("triggerName", "/guest/t"))));
    assertError("no trigger name parameter was provided", await(feed("alarms/alarm").run(guest,
        p().put("lifecycleEvent", "CREATE").put("authKey", guest.authKey()))));
    assertError("unsupported lifecycleEvent", run("alarms/alarm", "FROBNICATE", p()));
  }

  @Test
  void theDefaultNamespaceIsTheKeys() {
    JsonObject args = p().put("lifecycleEvent", "CREATE").put("triggerName", "/_/t")
        .put("authKey", guest.authKey()).put("cron", "* * * * *");
    assertEquals("success", await(feed("alarms/alarm").run(guest, args)).getString("status"));
    assertEquals("guest", run("alarms/alarm", "READ", p()).getJsonObject("config").getString("namespace"));
  }
}
