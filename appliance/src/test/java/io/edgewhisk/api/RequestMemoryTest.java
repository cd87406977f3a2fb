package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.WhiskException;
import org.junit.jupiter.api.Test;

/** The process-wide budget of request memory. */
class RequestMemoryTest {
  @Test
  void takingOverTheCapacityIs503AndTakesNothing() {
    RequestMemory m = new RequestMemory(100);
    m.take(60);
    WhiskException e = assertThrows(WhiskException.class, () -> m.take(41));
    assertEquals(503, e.status());
    assertEquals(60, m.inUse());
    m.take(40);
    m.give(100);
    assertEquals(0, m.inUse());
  }

  @Test
  void aBurstIsOverOnceNothingIsHeldAndOnlyOnceUntilTheNext() {
    RequestMemory m = new RequestMemory(1L << 30);
    m.take(RequestMemory.RETURN_AFTER_BYTES);
    assertFalse(m.burstOver(), "still held");
    m.give(RequestMemory.RETURN_AFTER_BYTES);
    assertTrue(m.burstOver());
    assertFalse(m.burstOver(), "once");
    m.take(RequestMemory.RETURN_AFTER_BYTES);
    m.give(RequestMemory.RETURN_AFTER_BYTES);
    assertFalse(m.burstOver(), "not again within the interval: a steady stream is not a burst");
    RequestMemory small = new RequestMemory(1L << 30);
    small.take(1024);
    small.give(1024);
    assertFalse(small.burstOver(), "small requests grow nothing worth a collection");
  }
}
