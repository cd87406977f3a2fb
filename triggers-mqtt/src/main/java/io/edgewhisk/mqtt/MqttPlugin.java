package io.edgewhisk.mqtt;

import com.typesafe.config.Config;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.security.MqttUserCommand;
import io.edgewhisk.mqtt.store.SqliteBrokerStore;
import io.edgewhisk.mqtt.feed.FeedStore;
import io.edgewhisk.spi.AdminCommand;
import io.edgewhisk.spi.CatalogAction;
import io.edgewhisk.spi.CatalogPackage;
import io.edgewhisk.spi.PluginMigration;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.edgewhisk.spi.Plugin;
import io.edgewhisk.spi.PluginContext;
import io.vertx.core.Deployable;
import java.util.List;

/**
 * The MQTT plugin: the embedded broker and the {@code edgewhisk mqtt} admin command. Its configuration is
 * {@code edgewhisk.mqtt} (documented key by key in this module's reference.conf).
 */
public final class MqttPlugin implements Plugin {
  @Override
  public String name() {
    return "mqtt";
  }

  @Override
  public void validate(Config section) {
    MqttConfig.from(section);
  }

  @Override
  public boolean enabled(Config section) {
    return !section.hasPath("enabled") || section.getBoolean("enabled");
  }

  @Override
  public List<PluginMigration> migrations() {
    return FeedStore.migrations();
  }

  @Override
  public List<CatalogPackage> catalog() {
    return List.of(new CatalogPackage("mqtt",
        new JsonObject().put("description", "MQTT: trigger on messages of the embedded broker, publish to it"),
        List.of(new CatalogAction("subscribe", true, new JsonObject()
                .put("description", "Fire the trigger for each MQTT message on a topic filter")
                .put("parameters", parameters("topic", true, "qos", false, "broker", false, "format", false,
                    "trigger_payload", false))),
            new CatalogAction("publish", false, new JsonObject()
                .put("description", "Publish an MQTT message (answers once it is acknowledged)")
                .put("parameters", parameters("topic", true, "payload", false, "qos", false, "retain", false,
                    "broker", false, "user_properties", false, "content_type", false, "response_topic", false,
                    "correlation_data", false, "message_expiry", false))))));
  }

  /** OpenWhisk's catalog parameter list: name, required, name, required, … */
  private static JsonArray parameters(Object... nameRequired) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < nameRequired.length; i += 2) {
      out.add(new JsonObject().put("name", nameRequired[i]).put("required", nameRequired[i + 1]));
    }
    return out;
  }

  @Override
  public List<AdminCommand> commands() {
    return List.of(new MqttUserCommand());
  }

  @Override
  public Deployable create(PluginContext context) {
    MqttConfig config = MqttConfig.from(context.config());
    return new MqttBrokerVerticle(config, context.dataDir(),
        ctx -> new SqliteBrokerStore(context.dataDir().resolve("broker.db"), ctx), new SpiExtensions(context, config));
  }
}
