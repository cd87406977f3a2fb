package io.edgewhisk.catalog.alarms;

import static io.edgewhisk.catalog.CatalogFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.edgewhisk.catalog.CatalogFixture;
import io.edgewhisk.catalog.RecordingActivator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upgrading a database whose alarms the core kept (its migration 2) keeps every alarm in the plugin's table. */
class AlarmMigrationsTest {

  @Test
  void theCoresFormerAlarmsTableIsTakenOverWithItsAlarms(@TempDir Path dir) throws Exception {
    try (CatalogFixture fx = new CatalogFixture(dir)) {
      fx.trigger("t");
      // the state as the release before the plugin left it: the core's migration 2 and one stored alarm
      String v2 = new String(getClass().getResourceAsStream("/alarms/core-V2__alarms.sql").readAllBytes(),
          StandardCharsets.UTF_8);
      await(fx.stores.database().write(c -> {
        try (Statement s = c.createStatement()) {
          for (String sql : v2.replaceAll("(?m)^--.*$", "").split(";")) {
            if (!sql.isBlank()) {
              s.execute(sql);
            }
          }
          s.execute("INSERT INTO alarms (trigger_id, namespace, kind, spec, payload, config, status_changed, next_fire, "
              + "revision) VALUES ('guest/t', 'guest', 'cron', '0 0 1 1 *', '{\"a\":1}', '{\"cron\":\"0 0 1 1 *\"}', 1, "
              + "4102444800000, 3)");
        }
        return null;
      }));

      AlarmsHarness plugin = new AlarmsHarness(fx, new RecordingActivator(), Map.of());
      try {
        List<Alarm> alarms = await(plugin.store().all());
        assertEquals(1, alarms.size());
        assertEquals("/guest/t", alarms.get(0).trigger().absolute());
        assertEquals(3, alarms.get(0).revision());
        assertEquals(1, alarms.get(0).payload().getInteger("a"));
        boolean oldNames = await(fx.stores.database().<Boolean>read(c -> {
          try (Statement s = c.createStatement();
               ResultSet r = s.executeQuery("SELECT 1 FROM sqlite_master WHERE name IN ('alarms', 'alarms_by_namespace')")) {
            return r.next();
          }
        }));
        assertFalse(oldNames, "the core's names are gone");
      } finally {
        plugin.stop();
      }
    }
  }
}
