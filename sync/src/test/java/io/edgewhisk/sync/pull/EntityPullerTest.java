package io.edgewhisk.sync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

class EntityPullerTest {
  @Test
  void aDocumentStoppedByTheStopOfThePullSaysSoRatherThanNull() {
    DefaultPromise<Void> request = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    request.cancel(false); // what a closing Vert.x does to a pending timer or request: a cause without a message
    Throwable cancelled = request.cause();
    assertEquals(null, cancelled.getMessage());
    assertEquals("the pull stopped before it was applied", EntityPuller.reasonOf(cancelled));
    assertEquals("boom", EntityPuller.reasonOf(new IllegalStateException("boom")));
    assertEquals("java.lang.NullPointerException", EntityPuller.reasonOf(new NullPointerException()));
  }
}
