package io.edgewhisk.controller;

/**
 * What one invocation of a sequence may still run: atomic actions (nested sequences' included, as
 * OpenWhisk counts them) and, so that sequences made only of sequences cannot recurse for ever, levels of
 * nesting. Shared by the nested sequences of one invocation, which run one component at a time.
 */
final class SequenceBudget {
  private final int max;
  private int atomic;
  private int depth;

  SequenceBudget(int max) {
    this.max = max;
  }

  /** Counts one more atomic action in; false (and nothing counted) when the limit is reached. */
  synchronized boolean takeAtomic() {
    if (atomic >= max) {
      return false;
    }
    atomic++;
    return true;
  }

  /** A sequence starts; false when it would nest deeper than the limit. */
  synchronized boolean enter() {
    depth++;
    return depth <= max;
  }

  synchronized void leave() {
    depth--;
  }
}
