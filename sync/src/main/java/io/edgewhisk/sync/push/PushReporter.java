package io.edgewhisk.sync.push;

/** Where push tells of documents the central side refused for good. */
public interface PushReporter {
  void rejected(String id, String reason);

  PushReporter NONE = (id, reason) -> {};
}
