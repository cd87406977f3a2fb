package io.edgewhisk.api;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.Appliance;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The appliance as {@code edgewhisk serve} wires it (SQLite in a temporary state directory, every
 * event loop, the real caches), on a free port, with a second namespace {@code other}.
 */
public final class RealAppliance implements ApplianceUnderTest {
  private final Path stateDir;
  private final Vertx vertx;
  private final Appliance appliance;
  private final Identity guest;
  private final Identity other;

  public RealAppliance() throws Exception {
    this("");
  }

  /** With extra HOCON settings over the test defaults. */
  public RealAppliance(String settings) throws Exception {
    stateDir = Files.createTempDirectory("edgewhisk-it");
    ApplianceConfig config = ApplianceConfig.from(ConfigFactory.parseString(settings)
        .withFallback(ConfigFactory.parseString("edgewhisk.api { host = 127.0.0.1, port = 0, max-body-bytes = 8M, "
            + "max-code-bytes = 4M }, edgewhisk.invoker.prewarm = false"))
        .withFallback(ConfigFactory.parseMap(java.util.Map.of("edgewhisk.state-dir", stateDir.toString())))
        .withFallback(ConfigFactory.defaultReference()).resolve());
    vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    appliance = Appliance.start(vertx, config).await(60, TimeUnit.SECONDS);
    guest = appliance.stores().subjects().identityOf("guest");
    other = appliance.stores().subjects().create("other", "other").await(10, TimeUnit.SECONDS);
  }

  public Appliance appliance() {
    return appliance;
  }

  public Path stateDir() {
    return stateDir;
  }

  @Override
  public int port() {
    return appliance.port();
  }

  @Override
  public String guestKey() {
    return guest.authKey();
  }

  @Override
  public String otherKey() {
    return other.authKey();
  }

  /** Waits until a namespace's concurrent-invocations limit reached the authentication cache (its next refresh, about a second). */
  public void awaitConcurrentLimit(String namespace, int limit) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      Identity id = appliance.stores().subjects().identityOf(namespace);
      if (id != null && id.limits().concurrentInvocations() == limit) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the limits of " + namespace + " did not reach the subject cache within 10 s");
  }

  @Override
  public void storeActivation(Activation activation) {
    try {
      appliance.stores().activations().store(activation).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      appliance.stop();
      vertx.close().await(10, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
