package io.edgewhisk.catalog.alarms;

import com.typesafe.config.Config;
import io.edgewhisk.spi.AdminCommand;
import io.edgewhisk.spi.CatalogAction;
import io.edgewhisk.spi.CatalogPackage;
import io.edgewhisk.spi.Plugin;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.spi.PluginMigration;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * OpenWhisk's {@code /whisk.system/alarms} feeds as a plugin that lives in the appliance and uses only the
 * SPI: its package and three feed actions, its table ({@code alarms_schedules}), its settings
 * ({@code edgewhisk.alarms}), its metrics ({@code edgewhisk_alarms_…}) and its command
 * ({@code edgewhisk alarms list}).
 */
public final class AlarmsPlugin implements Plugin {
  public static final String NAME = "alarms";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean enabled(Config section) {
    return !section.hasPath("enabled") || section.getBoolean("enabled");
  }

  @Override
  public void validate(Config section) {
    AlarmsConfig.from(section);
  }

  @Override
  public List<PluginMigration> migrations() {
    return AlarmMigrations.all();
  }

  @Override
  public List<CatalogPackage> catalog() {
    return List.of(new CatalogPackage("alarms",
        new JsonObject().put("description", "Alarms and periodic utility")
            .put("parameters", parameters("trigger_payload", false)),
        List.of(
            feed("alarm", "Fire trigger when alarm occurs", parameters("cron", true, "timezone", false,
                "startDate", false, "stopDate", false, "maxTriggers", false)),
            feed("once", "Fire trigger once when alarm occurs", parameters("date", true, "deleteAfterFire", false)),
            feed("interval", "Fire trigger at specified interval", parameters("minutes", true, "startDate", false,
                "stopDate", false, "maxTriggers", false)))));
  }

  @Override
  public List<AdminCommand> commands() {
    return List.of(new AlarmsCommand());
  }

  @Override
  public Deployable create(PluginContext context) {
    return new AlarmsVerticle(context, AlarmsConfig.from(context.config()), Clock.systemUTC());
  }

  private static CatalogAction feed(String name, String description, JsonArray parameters) {
    return new CatalogAction(name, true, new JsonObject().put("description", description).put("parameters", parameters));
  }

  /** OpenWhisk's catalog parameter list: name, required, name, required, … */
  private static JsonArray parameters(Object... nameRequired) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < nameRequired.length; i += 2) {
      out.add(new JsonObject().put("name", nameRequired[i]).put("required", nameRequired[i + 1]));
    }
    return out;
  }
}
