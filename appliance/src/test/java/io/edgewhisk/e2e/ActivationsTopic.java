package io.edgewhisk.e2e;

import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.FileAppendLog;
import io.edgewhisk.log.LogConfig;
import io.edgewhisk.log.LogRecord;
import io.edgewhisk.log.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stopped appliance's {@code activations} topic from its state directory, as fleet sync would
 * push it: every record from the topic's start.
 */
final class ActivationsTopic {
  private ActivationsTopic() {}

  static List<JsonObject> read(Path stateDir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LogConfig config = new LogConfig(stateDir.resolve("log"), 16L << 20, 64 << 20,
          new LogConfig.Retention(1L << 30, Duration.ofDays(7)), Map.of(), 2L << 30, 1024, Duration.ZERO,
          Duration.ofMinutes(1), Duration.ofSeconds(1));
      AppendLog log = FileAppendLog.open(vertx, config).await(60, TimeUnit.SECONDS);
      try {
        List<JsonObject> all = new ArrayList<>();
        long next = 0;
        while (next < log.endOffset(Topic.ACTIVATIONS)) {
          List<LogRecord> batch = log.read(Topic.ACTIVATIONS, next, 1000, 64 << 20).await(60, TimeUnit.SECONDS);
          for (LogRecord r : batch) {
            all.add(new JsonObject(r.value()));
            next = r.offset() + 1;
          }
        }
        return all;
      } finally {
        log.close().await(60, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }
}
