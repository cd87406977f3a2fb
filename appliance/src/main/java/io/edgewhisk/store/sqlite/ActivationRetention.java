package io.edgewhisk.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The activation records' retention policy: records that started more than {@code maxAge} ago go, and of
 * each namespace only the {@code maxPerNamespace} newest stay. Deletes run in chunks, each its own short
 * transaction, so that a large clean-up never holds the write lock against the API or the admin CLI for long.
 */
final class ActivationRetention {
  static final int CHUNK = 2000;

  /** The SQL of the policy. */
  private static final class Sql {
    static final String NAMESPACES = "SELECT DISTINCT namespace FROM activations";
    static final String EXPIRED = "DELETE FROM activations WHERE activation_id IN (SELECT activation_id FROM "
        + "activations WHERE namespace = ? AND start < ? LIMIT " + CHUNK + ")";
    static final String BEYOND = "DELETE FROM activations WHERE activation_id IN (SELECT activation_id FROM "
        + "activations WHERE namespace = ? ORDER BY start DESC, activation_id DESC LIMIT " + CHUNK + " OFFSET ?)";
  }

  private final Duration maxAge;
  private final int maxPerNamespace;

  ActivationRetention(Duration maxAge, int maxPerNamespace) {
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.maxPerNamespace = maxPerNamespace;
  }

  /** Applies the policy as of {@code now} (epoch ms) on the write connection; answers the records removed. */
  long run(Connection c, long now) throws SQLException {
    long removed = 0;
    for (String namespace : namespaces(c)) {
      removed += repeat(c, Sql.EXPIRED, namespace, now - maxAge.toMillis());
      removed += repeat(c, Sql.BEYOND, namespace, maxPerNamespace);
    }
    return removed;
  }

  private static List<String> namespaces(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(Sql.NAMESPACES); ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  private static long repeat(Connection c, String sql, String namespace, long bound) throws SQLException {
    long total = 0;
    int n;
    do {
      n = Transactions.inImmediate(c, () -> {
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setString(1, namespace);
          p.setLong(2, bound);
          return p.executeUpdate();
        }
      });
      total += n;
    } while (n == CHUNK);
    return total;
  }
}
