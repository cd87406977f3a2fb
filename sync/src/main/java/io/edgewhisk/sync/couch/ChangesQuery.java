package io.edgewhisk.sync.couch;

import java.util.Objects;

/**
 * A {@code _changes} request: from {@code since}, at most {@code limit} rows ({@code 0}: no limit), with the
 * documents or without, waiting up to {@code timeoutMs} for a change (longpoll, continuous) with a
 * heartbeat newline every {@code heartbeatMs} so that a dead link shows as silence.
 */
public record ChangesQuery(Feed feed, ChangeSeq since, int limit, boolean includeDocs, long timeoutMs, long heartbeatMs) {
  /** CouchDB's feed types used here. */
  public enum Feed {
    NORMAL("normal"), LONGPOLL("longpoll"), CONTINUOUS("continuous");

    final String word;

    Feed(String word) {
      this.word = word;
    }
  }

  public ChangesQuery {
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(since, "since");
  }

  public static ChangesQuery longpoll(ChangeSeq since, int limit, long timeoutMs, long heartbeatMs) {
    return new ChangesQuery(Feed.LONGPOLL, since, limit, true, timeoutMs, heartbeatMs);
  }

  String queryString() {
    StringBuilder q = new StringBuilder("?feed=").append(feed.word)
        .append("&since=").append(DocId.segment(since.query()));
    if (limit > 0) {
      q.append("&limit=").append(limit);
    }
    if (includeDocs) {
      q.append("&include_docs=true");
    }
    if (feed != Feed.NORMAL) {
      q.append("&timeout=").append(timeoutMs);
      if (heartbeatMs > 0) {
        q.append("&heartbeat=").append(heartbeatMs);
      }
    }
    return q.toString();
  }
}
