package io.edgewhisk.sync.couch;

import java.util.List;
import java.util.Objects;

/** What one longpoll {@code _changes} request brought: its rows and the sequence to continue from. */
public record ChangesBatch(List<Change> results, ChangeSeq lastSeq, long pending) {
  public ChangesBatch {
    results = List.copyOf(results);
    Objects.requireNonNull(lastSeq, "lastSeq");
  }
}
