package io.edgewhisk.health;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.invoker.Invoker;
import io.edgewhisk.log.AppendLog;
import io.edgewhisk.store.sqlite.Database;
import io.edgewhisk.telemetry.HealthRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/** The core's parts as health probes: Podman, the state directory's disk, SQLite and the embedded log. */
public final class CoreHealth {
  private CoreHealth() {}

  public static ApplianceHealth of(Vertx vertx, ApplianceConfig config, Invoker invoker, Database database,
      AppendLog log, HealthRegistry plugins) {
    HealthConfig settings = HealthConfig.from(config.raw());
    long degradedBelow = settings.diskDegradedBelow();
    long timeout = settings.timeoutMillis();
    Map<String, ApplianceHealth.Probe> probes = new LinkedHashMap<>();
    probes.put("podman", ApplianceHealth.reachable("Podman", invoker::ping));
    // statvfs is a system call on the state directory's file system: off the event loop
    probes.put("disk", () -> vertx.executeBlocking(() -> ApplianceHealth.disk(config.stateDir().toString(),
        Files.getFileStore(config.stateDir()).getUsableSpace(), degradedBelow), false));
    probes.put("sqlite", ApplianceHealth.reachable("SQLite", () -> database.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
        return rs.next();
      }
    })));
    probes.put("log", () -> Future.succeededFuture(ApplianceHealth.log(log.health())));
    return new ApplianceHealth(vertx, probes, plugins, timeout);
  }
}
