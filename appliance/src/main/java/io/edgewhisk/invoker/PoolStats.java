package io.edgewhisk.invoker;

/**
 * The container pool for {@code /metrics}: starts since the appliance started by kind of start (cold: a new
 * container; warm: a container of the same action; stem cell: a pre-started container of the kind), and the
 * pool as it stood when it last scheduled or swept (at most the sweep interval, 10 s, old).
 */
public record PoolStats(long coldStarts, long warmStarts, long stemCellStarts, int containers, long memoryMb,
    int paused) {
  public static final PoolStats NONE = new PoolStats(0, 0, 0, 0, 0, 0);
}
