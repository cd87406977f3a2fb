package io.edgewhisk.sync.couch;

import java.util.Objects;

/**
 * A position in a {@code _changes} feed. Opaque: CouchDB 2+ gives strings ({@code "12-g1AAAA…"}),
 * pouchdb-server and CouchDB 1.x give numbers. It is kept as it came and only ever sent back.
 */
public record ChangeSeq(Object value) {
  public static final ChangeSeq START = new ChangeSeq(0);

  public ChangeSeq {
    Objects.requireNonNull(value, "value");
    if (!(value instanceof String) && !(value instanceof Number)) {
      throw new IllegalArgumentException("a change sequence is a string or a number, not " + value.getClass());
    }
  }

  /** The form the {@code since} query parameter takes. */
  public String query() {
    return value instanceof Number n ? Long.toString(n.longValue()) : (String) value;
  }

  @Override
  public String toString() {
    return query();
  }
}
