package io.edgewhisk.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StartingInvokerTest {
  private final LogMemory logMemory = new LogMemory(1 << 20);
  private final AtomicInteger starts = new AtomicInteger();
  private final Promise<Invoker> start = Promise.promise();
  private final CountingInvoker real = new CountingInvoker(logMemory);

  private StartingInvoker starting(Map<String, Object> config) {
    return new StartingInvoker(() -> {
      starts.incrementAndGet();
      return start.future();
    }, logMemory, InvokerTesting.config("starting-test", config));
  }

  private StartingInvoker reachable() {
    // a socket path that exists: the engine may be reachable, so invocations are taken while it starts
    return starting(Map.of("podman-socket", "/", "start-podman-service", false));
  }

  @Test
  void anInvocationBeforeTheStartBeginsItWaitsForItAndIsRunOnce() {
    StartingInvoker invoker = reachable();
    assertTrue(invoker.isReady(), "taken while the engine may still be reached");
    assertEquals(0, starts.get(), "nothing started before it is needed");

    Future<Activation> first = invoker.invoke((ActivationRequest) null);
    Future<Activation> second = invoker.invoke(null, a -> { });
    assertEquals(1, starts.get(), "one start for every caller");
    assertFalse(first.isComplete());
    assertEquals(0, real.invocations.get(), "nothing runs before the invoker is started");

    start.complete(real);
    assertTrue(first.succeeded() && second.succeeded());
    assertEquals(2, real.invocations.get());
    invoker.invoke(null);
    assertEquals(3, real.invocations.get(), "once started, calls go straight through");
    assertSame(invoker.begin(), invoker.begin());
    assertEquals(1, starts.get());
  }

  @Test
  void readinessIsTheStartedInvokersOnceItIsStarted() {
    StartingInvoker invoker = reachable();
    invoker.begin();
    real.ready = false;
    start.complete(real);
    assertFalse(invoker.isReady());
    assertSame(logMemory, invoker.logMemory());
  }

  @Test
  void withNoSocketAndNoServiceToStartItIsNotReadyFromTheStart() {
    StartingInvoker invoker = starting(Map.of("podman-socket", "/nonexistent/podman.sock", "start-podman-service", false));
    assertFalse(invoker.isReady(), "invocations refused with 503 from the first request, as after the start");
  }

  @Test
  void closingBeforeTheStartStartsNothingAndRefusesLaterInvocations() {
    StartingInvoker invoker = reachable();
    assertTrue(invoker.close().succeeded());
    Future<Activation> late = invoker.invoke(null);
    assertTrue(late.failed());
    assertTrue(late.cause() instanceof WhiskException, late.cause().toString());
    assertEquals(0, starts.get());
  }

  @Test
  void closingWhileStartingClosesTheStartedInvoker() {
    StartingInvoker invoker = reachable();
    invoker.begin();
    Future<Void> closed = invoker.close();
    assertFalse(closed.isComplete(), "waits for the start");
    start.complete(real);
    assertTrue(closed.succeeded());
    assertTrue(real.closed);
  }

  private static final class CountingInvoker implements Invoker {
    final AtomicInteger invocations = new AtomicInteger();
    final LogMemory logMemory;
    volatile boolean ready = true;
    volatile boolean closed;

    CountingInvoker(LogMemory logMemory) {
      this.logMemory = logMemory;
    }

    @Override
    public Future<Activation> invoke(ActivationRequest request) {
      invocations.incrementAndGet();
      return Future.succeededFuture();
    }

    @Override
    public LogMemory logMemory() {
      return logMemory;
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }
  }
}
