package io.edgewhisk.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgewhisk.invoker.PoolPolicy.ActionKey;
import io.edgewhisk.invoker.PoolPolicy.ContainerView;
import io.edgewhisk.invoker.PoolPolicy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolPolicyTest {
  private static final ActionKey A = new ActionKey("guest", "guest/a", "0.0.1");
  private static final ActionKey A2 = new ActionKey("guest", "guest/a", "0.0.2");
  private static final ActionKey B = new ActionKey("guest", "guest/b", "0.0.1");
  private static final ActionKey A_OTHER_NS = new ActionKey("other", "guest/a", "0.0.1");
  private static final String NODE = "nodejs:18";

  private static ContainerView warm(String id, ActionKey key, int active, int max, long lastUsed) {
    return new ContainerView(id, key, NODE, 256, true, active, max, lastUsed);
  }

  private static ContainerView stemCell(String id, String kind, int memory) {
    return new ContainerView(id, null, kind, memory, true, 0, 1, 0);
  }

  @Test
  void prefersAWarmContainerOfTheSameActionAndRevision() {
    List<ContainerView> pool = List.of(warm("b", B, 0, 1, 1), warm("a2", A2, 0, 1, 1), warm("x", A_OTHER_NS, 0, 1, 1),
        stemCell("s", NODE, 256), warm("a", A, 0, 1, 1));
    assertEquals(new Decision.UseWarm("a"), PoolPolicy.schedule(A, NODE, 256, pool, 4096));
  }

  @Test
  void aBusyContainerWithFreeConcurrencyIsReused() {
    assertEquals(new Decision.UseWarm("a"), PoolPolicy.schedule(A, NODE, 256, List.of(warm("a", A, 3, 4, 1)), 256));
  }

  @Test
  void aFullContainerIsNot() {
    assertEquals(new Decision.ColdStart(List.of()), PoolPolicy.schedule(A, NODE, 256, List.of(warm("a", A, 1, 1, 1)), 512));
  }

  @Test
  void aWarmingContainerWithCapacityComesBeforeAStemCell() {
    List<ContainerView> pool = List.of(new ContainerView("w", A, NODE, 256, false, 1, 4, 1), stemCell("s", NODE, 256));
    assertEquals(new Decision.UseWarm("w"), PoolPolicy.schedule(A, NODE, 256, pool, 4096));
  }

  @Test
  void aStemCellOfTheKindAndMemoryComesBeforeAColdStart() {
    List<ContainerView> pool = List.of(stemCell("py", "python:3.11", 256), stemCell("small", NODE, 128), stemCell("s", NODE, 256));
    assertEquals(new Decision.UseStemCell("s"), PoolPolicy.schedule(A, NODE, 256, pool, 4096));
  }

  @Test
  void aStartingStemCellIsNotUsed() {
    List<ContainerView> pool = List.of(new ContainerView("s", null, NODE, 256, false, 0, 1, 0));
    assertEquals(new Decision.ColdStart(List.of()), PoolPolicy.schedule(A, NODE, 256, pool, 4096));
  }

  @Test
  void evictsIdleContainersLeastRecentlyUsedFirstThenStemCells() {
    List<ContainerView> pool = List.of(stemCell("s", "python:3.11", 256), warm("new", B, 0, 1, 300),
        warm("old", B, 0, 1, 100), warm("busy", B, 1, 1, 1));
    assertEquals(new Decision.ColdStart(List.of("old")), PoolPolicy.schedule(A, NODE, 256, pool, 1024));
    assertEquals(new Decision.ColdStart(List.of("old", "new")), PoolPolicy.schedule(A, NODE, 512, pool, 1024));
    assertEquals(new Decision.ColdStart(List.of("old", "new", "s")), PoolPolicy.schedule(A, NODE, 768, pool, 1024));
  }

  @Test
  void waitsWhenEvictionCannotFreeEnough() {
    List<ContainerView> pool = List.of(warm("busy1", B, 1, 1, 1), warm("busy2", B, 1, 1, 1), warm("idle", B, 0, 1, 1));
    assertEquals(new Decision.Wait(), PoolPolicy.schedule(A, NODE, 512, pool, 768));
  }

  @Test
  void stemCellsAreRefilledAsFarAsMemoryAllows() {
    var wanted = List.of(new RuntimesManifest.StemCell(NODE, "img", 3, 256));
    List<ContainerView> pool = List.of(stemCell("s", NODE, 256), warm("a", A, 0, 1, 1));
    assertEquals(1, PoolPolicy.stemCellsToStart(wanted, pool, 768).size());
    assertEquals(2, PoolPolicy.stemCellsToStart(wanted, pool, 4096).size());
    assertEquals(0, PoolPolicy.stemCellsToStart(wanted, pool, 512).size());
  }

  @Test
  void onlyIdleWarmContainersExpire() {
    List<ContainerView> pool = List.of(warm("old", A, 0, 1, 1000), warm("recent", B, 0, 1, 9000), warm("busy", B, 1, 1, 0),
        stemCell("s", NODE, 256));
    assertEquals(List.of("old"), PoolPolicy.idleToRemove(pool, 10_000, 5_000));
  }
}
