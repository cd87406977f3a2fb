package io.edgewhisk.sync.push;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kafka client settings sync passes to its producer: a Kafka client {@code .properties} file (what
 * Kafka's own tools take with {@code --command-config}, so an operator can hand the gateway the file the
 * cluster's clients already use, secrets and all) together with the {@code kafka.properties} of the config.
 * Secrets (SASL's JAAS line, key store passwords) live in such a file, so no value is ever put in a message
 * or a log: errors name the key and the file, never what is in it.
 */
public final class KafkaClientProperties {
  /** What the link sets itself (idempotence and acks=all are what make its delivery safe). */
  public static final Set<String> FIXED = Set.of("bootstrap.servers", "client.id", "enable.idempotence", "acks",
      "delivery.timeout.ms", "key.serializer", "value.serializer", "transactional.id");

  /** Why a fixed key is refused. */
  public static final String FIXED_REASON = "sync sets it itself (the servers are kafka.bootstrap-servers; an idempotent"
      + " producer with acks=all is what makes delivery safe)";

  private KafkaClientProperties() {}

  /**
   * The file's settings and the inline ones (checked by {@code SyncConfig}), as one map; refused (an
   * {@link IllegalStateException} naming the key) when the file cannot be read, when a key is in both, or when
   * the file sets a key the link fixes.
   * Blocking: call it off the event loop.
   */
  public static Map<String, Object> load(Path file, Map<String, Object> inline) {
    Map<String, Object> out = new HashMap<>();
    inline.forEach((k, v) -> out.put(k, v));
    if (file == null) {
      return out;
    }
    Properties read = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      read.load(in);
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: a malformed \\u escape; its message holds no value of the file
      throw new IllegalStateException("edgewhisk.sync.kafka.properties-file: cannot read " + file + ": "
          + e.getClass().getSimpleName() + (e instanceof IllegalArgumentException ? ": " + e.getMessage() : ""));
    }
    Set<String> keys = new TreeSet<>(read.stringPropertyNames());
    Set<String> fixed = new TreeSet<>(keys);
    fixed.retainAll(FIXED);
    if (!fixed.isEmpty()) {
      throw new IllegalStateException("edgewhisk.sync.kafka.properties-file (" + file + ") sets " + fixed + ": " + FIXED_REASON);
    }
    Set<String> both = new TreeSet<>(keys);
    both.retainAll(inline.keySet());
    if (!both.isEmpty()) {
      throw new IllegalStateException("edgewhisk.sync.kafka.properties-file (" + file + ") and edgewhisk.sync.kafka.properties"
          + " both set " + both + ": set each key in one place only");
    }
    keys.forEach(k -> out.put(k, read.getProperty(k)));
    return out;
  }

}
