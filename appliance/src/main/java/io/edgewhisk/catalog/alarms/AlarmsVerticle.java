package io.edgewhisk.catalog.alarms;

import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.spi.Telemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The running alarms plugin: the scheduler over the plugin's table, and a provider per feed bound through the
 * SPI's catalog registry. Started after the catalog is installed; stopped (scheduler drained) before the core
 * closes what it fires through.
 */
final class AlarmsVerticle extends VerticleBase {
  private final PluginContext plugin;
  private final AlarmsConfig config;
  private final Clock clock;
  private AlarmScheduler scheduler;

  AlarmsVerticle(PluginContext plugin, AlarmsConfig config, Clock clock) {
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Future<?> start() {
    Telemetry telemetry = plugin.telemetry();
    AlarmStore store = new AlarmStore(plugin.database());
    scheduler = new AlarmScheduler(vertx, store, new AlarmFiring(plugin.triggers(), plugin.entities()), clock, config,
        telemetry.counter("fires_total", "alarm fires by outcome: fired, refused (disabled), failed (retried)", "outcome"));
    telemetry.gauge("scheduled", "alarms the scheduler holds (active, paused or disabled)", scheduler::size);
    List<Future<Void>> bound = new ArrayList<>();
    for (AlarmKind kind : AlarmKind.values()) {
      AlarmFeed feed = new AlarmFeed(kind, store, scheduler, config, clock);
      bound.add(plugin.catalog().provideFeed(feed.action(), feed));
    }
    return Future.all(bound).compose(v -> scheduler.start());
  }

  @Override
  public Future<?> stop() {
    return scheduler == null ? Future.succeededFuture() : scheduler.stop();
  }
}
