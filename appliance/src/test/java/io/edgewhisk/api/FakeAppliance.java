package io.edgewhisk.api;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.Controllers;
import io.edgewhisk.fakes.InMemoryActivationStore;
import io.edgewhisk.fakes.InMemoryEntityStore;
import io.edgewhisk.fakes.InMemorySubjectStore;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** The API over in-memory stores on a free port: the fast form of the API tests. */
public final class FakeAppliance implements ApplianceUnderTest {
  private final Vertx vertx = Vertx.vertx();
  private final InMemoryActivationStore activations = new InMemoryActivationStore();
  private final int port;
  private final Identity guest;
  private final Identity other;

  public FakeAppliance() throws Exception {
    this(new WebFakeActivator());
  }

  /** With the activator that invocations, fires and web actions go to. */
  public FakeAppliance(Activator activator) throws Exception {
    this(activator, "");
  }

  /** With extra HOCON settings over the test defaults. */
  public FakeAppliance(Activator activator, String settings) throws Exception {
    ApplianceConfig config = ApplianceConfig.from(ConfigFactory.parseString(settings)
        .withFallback(ConfigFactory.parseString("edgewhisk.api { host = 127.0.0.1, port = 0, max-body-bytes = 8M, max-code-bytes = 4M, max-request-memory = 24M }, edgewhisk.state-dir = /nonexistent"))
        .withFallback(ConfigFactory.defaultReference()).resolve());
    InMemorySubjectStore subjects = new InMemorySubjectStore(config.namespaceDefaults());
    guest = subjects.create("guest", "guest").await(5, TimeUnit.SECONDS);
    other = subjects.create("other", "other").await(5, TimeUnit.SECONDS);
    Readiness readiness = new Readiness();
    Controllers controllers = Controllers.wire(config, new InMemoryEntityStore(), new FakeKinds(), Clock.systemUTC());
    ApiServices services = ApiServices.of(config, subjects, activations, controllers, activator, new FakeKinds(),
        Buffer.buffer("{\"swagger\":\"2.0\",\"paths\":{}}"), "test", readiness,
        new Metrics(() -> new io.edgewhisk.log.LogHealth(0, 1, 0, null, java.util.Map.of()), () -> false, () -> 0, () -> 0L,
            new io.edgewhisk.telemetry.MetricRegistry()));
    ApiVerticle verticle = new ApiVerticle(services);
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    readiness.ready();
    port = verticle.actualPort();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String guestKey() {
    return guest.authKey();
  }

  @Override
  public String otherKey() {
    return other.authKey();
  }

  @Override
  public void storeActivation(Activation activation) {
    activations.store(activation);
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
