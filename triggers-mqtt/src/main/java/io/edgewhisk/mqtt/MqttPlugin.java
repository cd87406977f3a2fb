package io.edgewhisk.mqtt;

import com.typesafe.config.Config;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.security.MqttUserCommand;
import io.edgewhisk.mqtt.store.SqliteBrokerStore;
import io.edgewhisk.spi.AdminCommand;
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
  public List<AdminCommand> commands() {
    return List.of(new MqttUserCommand());
  }

  @Override
  public Deployable create(PluginContext context) {
    MqttConfig config = MqttConfig.from(context.config());
    return new MqttBrokerVerticle(config, context.dataDir(),
        ctx -> new SqliteBrokerStore(context.dataDir().resolve("broker.db"), ctx));
  }
}
