package io.edgewhisk.log;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the log's tests. */
final class LogTesting {
  private LogTesting() {}

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Throwable awaitFailure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the future to fail, it succeeded");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(LogRecord r) {
    return r.value().toString(StandardCharsets.UTF_8);
  }

  /** Small segments so that a test crosses several; retention and cap as given. */
  static LogConfig config(Path dir, long retentionBytes, Duration retentionAge, long diskCapBytes) {
    return new LogConfig(dir, 1024, 1 << 16, new LogConfig.Retention(retentionBytes, retentionAge), Map.of(),
        diskCapBytes, 256, Duration.ZERO, Duration.ofHours(1), Duration.ofMillis(50));
  }

  static LogConfig config(Path dir) {
    return config(dir, 1L << 30, Duration.ofDays(7), 1L << 32);
  }
}
