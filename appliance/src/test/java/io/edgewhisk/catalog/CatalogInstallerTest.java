package io.edgewhisk.catalog;

import io.edgewhisk.catalog.alarms.AlarmsPlugin;
import static io.edgewhisk.catalog.CatalogFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore.EntityListQuery;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogInstallerTest {
  private static final String NS = "whisk.system";
  @TempDir Path dir;
  private CatalogFixture fx;
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() {
    fx = new CatalogFixture(dir);
  }

  @AfterEach
  void close() {
    fx.close();
  }

  private WhiskEntity get(String path) {
    return await(fx.stores.entities().get(FullyQualifiedName.parse("/" + path, null)));
  }

  /** The installer as the appliance runs it: utils, and the alarms plugin's package. */
  private CatalogInstaller installer(Clock c) {
    return new CatalogInstaller(fx.stores.entities(), c,
        CatalogDefinitions.load(CatalogConfig.DEFAULT_NODEJS_KIND, new AlarmsPlugin().catalog()));
  }

  private List<String> actionsOf(String pkg) {
    return await(fx.stores.entities().list(new EntityListQuery(NS, EntityType.ACTION, pkg, false, 0, 0)))
        .stream().map(e -> e.fqn().name()).sorted().collect(Collectors.toList());
  }

  @Test
  void createsThePublicPackagesAndTheirActions() {
    int written = await(installer(clock).install());
    assertEquals(2 + 6 + 3, written);

    WhiskPackage utils = assertInstanceOf(WhiskPackage.class, get(NS + "/utils"));
    assertTrue(utils.publish());
    assertEquals("Building blocks that format and assemble data", utils.annotations().get("description"));
    assertEquals(List.of("cat", "date", "echo", "head", "sort", "split"), actionsOf("utils"));
    assertEquals(List.of("alarm", "interval", "once"), actionsOf("alarms"));

    Action sort = assertInstanceOf(Action.class, get(NS + "/utils/sort"));
    Exec.Code code = assertInstanceOf(Exec.Code.class, sort.exec());
    assertEquals("nodejs:18", code.kind());
    assertTrue(code.code().contains("function main"));
    assertEquals("Sorts an array", sort.annotations().get("description"));
    assertInstanceOf(JsonArray.class, sort.annotations().get("parameters"));
    assertEquals(SemVer.INITIAL, sort.version());
    assertEquals(clock.millis(), sort.updated());

    Action alarm = assertInstanceOf(Action.class, get(NS + "/alarms/alarm"));
    assertEquals(new Exec.Code(BuiltinAction.KIND, "alarms/alarm", false, null, null), alarm.exec());
    assertTrue(alarm.annotations().isTrue("feed"));
    // as the catalog installed it before the feeds became a plugin, so an upgrade rewrites nothing
    assertEquals(List.of("description", "parameters", "feed", "provide-api-key", "exec"),
        alarm.annotations().entries().stream().map(io.edgewhisk.model.KeyValue::key).toList());
    assertTrue(alarm.publish());
    assertTrue(assertInstanceOf(WhiskPackage.class, get(NS + "/alarms")).publish());
  }

  @Test
  void isIdempotentAndWritesNothingTheSecondTime() {
    CatalogInstaller installer = installer(clock);
    await(installer.install());
    WhiskEntity before = get(NS + "/utils/echo");

    assertEquals(0, await(installer.install()));
    fx.reopen();
    assertEquals(0, await(installer(Clock.systemUTC()).install()));
    assertEquals(before, get(NS + "/utils/echo"));
  }

  @Test
  void upgradesAChangedActionAndRemovesOneNoLongerInTheCatalog() {
    await(installer(clock).install());
    Action echo = (Action) get(NS + "/utils/echo");
    // an older release's echo, and an action this release no longer has
    Action old = new Action(echo.fqn(), echo.version(), true,
        new Exec.Code("nodejs:18", "function main() { return {old: true}; }", false, null, null),
        KeyValues.EMPTY, echo.annotations(), ActionLimits.DEFAULT, echo.updated());
    Action gone = new Action(new FullyQualifiedName(NS, "utils", "smash"), SemVer.INITIAL, true, echo.exec(),
        KeyValues.EMPTY, KeyValues.EMPTY, ActionLimits.DEFAULT, 0);
    await(fx.stores.entities().apply(List.of(new EntityChange.Update(old, echo.version()), new EntityChange.Create(gone))));

    Clock later = Clock.offset(clock, java.time.Duration.ofDays(1));
    assertEquals(2, await(installer(later).install()));

    Action upgraded = (Action) get(NS + "/utils/echo");
    assertEquals(echo.exec(), upgraded.exec());
    assertEquals(echo.version().bumpPatch(), upgraded.version());
    assertEquals(later.millis(), upgraded.updated());
    assertNull(get(NS + "/utils/smash"));
    assertEquals(echo.version(), ((Action) get(NS + "/utils/cat")).version(), "unchanged actions keep their version");
  }

  @Test
  void theCatalogInstallsAsConfigured() {
    CatalogConfig defaults = CatalogConfig.defaults();
    Catalog off = Catalog.create(fx.vertx, fx.stores.entities(), clock,
        new CatalogConfig(false, defaults.nodejsKind()), new AlarmsPlugin().catalog());
    await(off.install());
    assertNull(get(NS + "/utils"));

    Catalog on = Catalog.create(fx.vertx, fx.stores.entities(), clock, new CatalogConfig(true, "nodejs:20"),
        new AlarmsPlugin().catalog());
    await(on.install());
    assertEquals("nodejs:20", ((Action) get(NS + "/utils/cat")).exec().kind());
  }

  @Test
  void theNodejsKindComesFromTheConfiguration() {
    await(new CatalogInstaller(fx.stores.entities(), clock, CatalogDefinitions.load("nodejs:20", new AlarmsPlugin().catalog())).install());
    assertEquals("nodejs:20", ((Action) get(NS + "/utils/date")).exec().kind());
    assertEquals("nodejs:20", ((Action) get(NS + "/utils/date")).annotations().get("exec"));
    // switching the kind back is an upgrade of every utils action
    assertEquals(6, await(installer(clock).install()));
  }
}
