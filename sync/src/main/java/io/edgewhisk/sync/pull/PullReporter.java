package io.edgewhisk.sync.pull;

/** Where pull tells what happened to a document, for the log, metrics and sync status. */
public interface PullReporter {
  void applied(String feed, String docId);

  void removed(String feed, String docId);

  /** A document skipped (malformed, unsupported) or failed (retried later when {@code retry}). */
  void failed(String feed, String docId, String reason, boolean retry);

  /** A local entity was replaced by the central one of the same name. */
  void replacedLocal(String name);

  /** A reporter that only counts, for tests. */
  PullReporter NONE = new PullReporter() {
    @Override public void applied(String feed, String docId) {}
    @Override public void removed(String feed, String docId) {}
    @Override public void failed(String feed, String docId, String reason, boolean retry) {}
    @Override public void replacedLocal(String name) {}
  };
}
