package io.edgewhisk.invoker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The container pool's choices as pure functions over an immutable view of the pool, in OpenWhisk's order:
 * a warm container of the same action and revision with free capacity, one of them still warming, a stem
 * cell of the kind and memory, a cold start if memory allows, a cold start after evicting idle containers
 * (least recently used first), else wait.
 */
public final class PoolPolicy {
  private PoolPolicy() {}

  /** What makes a container reusable for an activation: invoking namespace, action and revision. */
  public record ActionKey(String namespace, String action, String version) {
    public ActionKey {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * One container as the policy sees it. {@code action} is null for a stem cell; {@code started} is false
   * while the container starts or (for a warm one) initializes.
   */
  public record ContainerView(
      String id, ActionKey action, String kind, int memoryMb, boolean started, int active, int maxConcurrency,
      long lastUsed) {

    boolean isStemCell() {
      return action == null;
    }

    boolean hasCapacity() {
      return active < maxConcurrency;
    }
  }

  /** What the pool is to do for the activation at the head of its buffer. */
  public sealed interface Decision {
    record UseWarm(String id) implements Decision {}

    record UseStemCell(String id) implements Decision {}

    /** Remove {@code victims} (maybe none), then start a new container. */
    record ColdStart(List<String> victims) implements Decision {
      public ColdStart {
        victims = List.copyOf(victims);
      }
    }

    record Wait() implements Decision {}
  }

  public static Decision schedule(ActionKey key, String kind, int memoryMb, List<ContainerView> pool, int userMemoryMb) {
    Objects.requireNonNull(key, "key");
    ContainerView warming = null;
    for (ContainerView c : pool) {
      if (key.equals(c.action()) && c.hasCapacity()) {
        if (c.started()) {
          return new Decision.UseWarm(c.id());
        }
        warming = warming == null ? c : warming;
      }
    }
    if (warming != null) {
      return new Decision.UseWarm(warming.id());
    }
    for (ContainerView c : pool) {
      if (c.isStemCell() && c.started() && c.active() == 0 && c.kind().equals(kind) && c.memoryMb() == memoryMb) {
        return new Decision.UseStemCell(c.id());
      }
    }
    int free = userMemoryMb - used(pool);
    if (free >= memoryMb) {
      return new Decision.ColdStart(List.of());
    }
    List<String> victims = new ArrayList<>();
    for (ContainerView c : evictionOrder(pool)) {
      if (free >= memoryMb) {
        break;
      }
      victims.add(c.id());
      free += c.memoryMb();
    }
    return free >= memoryMb ? new Decision.ColdStart(victims) : new Decision.Wait();
  }

  /**
   * Idle containers in the order they may be evicted: warm ones least recently used first, then idle stem
   * cells (so that stem cells cannot starve actions of memory; they are refilled when memory frees).
   */
  static List<ContainerView> evictionOrder(List<ContainerView> pool) {
    Comparator<ContainerView> order = Comparator.<ContainerView, Boolean>comparing(ContainerView::isStemCell)
        .thenComparingLong(ContainerView::lastUsed);
    return pool.stream().filter(c -> c.started() && c.active() == 0).sorted(order).toList();
  }

  /** The sum of the memory limits of all containers. */
  public static int used(List<ContainerView> pool) {
    return pool.stream().mapToInt(ContainerView::memoryMb).sum();
  }

  /** Stem cells to start so that each wanted one is there, as far as memory allows without eviction. */
  public static List<RuntimesManifest.StemCell> stemCellsToStart(
      List<RuntimesManifest.StemCell> wanted, List<ContainerView> pool, int userMemoryMb) {
    int free = userMemoryMb - used(pool);
    List<RuntimesManifest.StemCell> out = new ArrayList<>();
    for (RuntimesManifest.StemCell w : wanted) {
      long have = pool.stream()
          .filter(c -> c.isStemCell() && c.kind().equals(w.kind()) && c.memoryMb() == w.memoryMb())
          .count();
      for (long i = have; i < w.count() && free >= w.memoryMb(); i++) {
        out.add(new RuntimesManifest.StemCell(w.kind(), w.image(), 1, w.memoryMb()));
        free -= w.memoryMb();
      }
    }
    return out;
  }

  /** Warm containers idle for at least {@code idleTimeoutMs} at {@code now}. */
  public static List<String> idleToRemove(List<ContainerView> pool, long now, long idleTimeoutMs) {
    return pool.stream()
        .filter(c -> !c.isStemCell() && c.started() && c.active() == 0 && now - c.lastUsed() >= idleTimeoutMs)
        .map(ContainerView::id)
        .toList();
  }
}
