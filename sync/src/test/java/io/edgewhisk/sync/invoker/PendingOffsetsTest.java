package io.edgewhisk.sync.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingOffsetsTest {
  @Test
  void aCommitNeverPassesAMessageNotAnswered() {
    PendingOffsets p = new PendingOffsets();
    for (long o = 10; o < 14; o++) {
      p.started(0, o);
    }
    assertEquals(Map.of(0, 10L), p.committable(), "nothing answered: the first one is where reading resumes");
    p.committed(Map.of(0, 10L));
    p.finished(0, 12);
    p.finished(0, 11);
    assertEquals(Map.of(), p.committable(), "10 still runs");
    p.finished(0, 10);
    assertEquals(Map.of(0, 13L), p.committable());
    p.committed(Map.of(0, 13L));
    p.finished(0, 13);
    assertEquals(Map.of(0, 14L), p.committable());
    p.committed(Map.of(0, 14L));
    assertEquals(Map.of(), p.committable(), "nothing new");
    assertEquals(0, p.running());
  }

  @Test
  void partitionsAreKeptApartAndForgottenWhenTaken() {
    PendingOffsets p = new PendingOffsets();
    p.started(0, 5);
    p.started(1, 7);
    p.finished(1, 7);
    assertEquals(Map.of(0, 5L, 1, 8L), p.committable());
    p.forget(List.of(0));
    p.finished(0, 5);
    assertEquals(Map.of(1, 8L), p.committable());
    assertEquals(0, p.running());
  }
}
