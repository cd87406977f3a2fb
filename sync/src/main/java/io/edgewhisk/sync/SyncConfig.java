package io.edgewhisk.sync;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.edgewhisk.sync.pull.FleetFilter;
import io.edgewhisk.sync.push.KafkaClientProperties;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code edgewhisk.sync} section, validated once into values; a bad one names its key. */
public record SyncConfig(
    boolean enabled,
    String deviceId,
    Set<String> labels,
    Set<String> namespaces,
    boolean pullUnlabelled,
    Couch couch,
    Kafka kafka,
    Pull pull,
    Push push,
    Duration backoffInitial,
    Duration backoffMax,
    Duration statusInterval,
    Duration maxBacklogAge,
    RemoteInvocation remoteInvocation) {

  /** The central CouchDB: no {@code url} means no CouchDB link. The password is read from its file at start. */
  public record Couch(URI url, String username, Path passwordFile, String subjectsDb, String whisksDb,
      String activationsDb, String devicesDb, Duration requestTimeout, int maxConnections) {
    public boolean configured() {
      return url != null;
    }
  }

  /**
   * The central Kafka: no bootstrap servers means no Kafka link. {@code properties} and the client properties file
   * (read when sync starts) hold secrets: never log them.
   */
  public record Kafka(String bootstrapServers, String eventsTopic, String statusTopic, Map<String, Object> properties,
      Path propertiesFile, Duration deliveryTimeout) {
    public Kafka {
      properties = Map.copyOf(properties);
    }

    public boolean configured() {
      return !bootstrapServers.isBlank();
    }

    @Override
    public String toString() {
      return "Kafka[" + bootstrapServers + ", events " + eventsTopic + ", status " + statusTopic + ", "
          + properties.size() + " client properties" + (propertiesFile == null ? "" : " and those of " + propertiesFile) + "]";
    }
  }

  public record Pull(int batchSize, Duration heartbeat, Duration longpollTimeout, int attachmentAttempts,
      Duration attachmentFirstDelay, int maxRetries) {}

  public record Push(int batchSize, int kafkaBatchSize, int documentAttempts, Duration linger) {}

  /**
   * Running a central controller's {@code ActivationMessage}s from this device's invoker topic. {@code topic} and
   * {@code groupId} are resolved (the device id filled in); answers go to {@code <topicPrefix>completed<N>}.
   */
  public record RemoteInvocation(boolean enabled, String topic, String groupId, String topicPrefix, int invokerInstance,
      String userMemory, int maxRunning, int maxCompletionBytes) {}

  /** Reads the section (the plugin's {@code edgewhisk.sync}, with reference.conf's defaults merged in). */
  public static SyncConfig from(Config c) {
    String prefix = c.getString("couchdb.db-prefix");
    String device = deviceId(c.getString("device-id"));
    SyncConfig cfg = new SyncConfig(
        c.getBoolean("enabled"),
        device,
        Set.copyOf(c.getStringList("labels")),
        Set.copyOf(c.getStringList("namespaces")),
        c.getBoolean("pull-unlabelled"),
        new Couch(url(c, "couchdb.url"), c.getString("couchdb.username"), path(c.getString("couchdb.password-file")),
            name(c, "couchdb.subjects-db", prefix + "subjects"), name(c, "couchdb.whisks-db", prefix + "whisks"),
            name(c, "couchdb.activations-db", prefix + "activations"), name(c, "couchdb.devices-db", null),
            positive(c, "couchdb.request-timeout"), atLeast(c, "couchdb.max-connections", 2)),
        new Kafka(c.getString("kafka.bootstrap-servers"), nonEmpty(c, "kafka.events-topic"), nonEmpty(c, "kafka.status-topic"),
            properties(c), path(c.getString("kafka.properties-file")), positive(c, "kafka.delivery-timeout")),
        new Pull(atLeast(c, "pull.batch-size", 1), positive(c, "pull.heartbeat"), positive(c, "pull.longpoll-timeout"),
            atLeast(c, "pull.attachment-attempts", 1), positive(c, "pull.attachment-first-delay"), atLeast(c, "pull.max-retries", 0)),
        new Push(atLeast(c, "push.batch-size", 1), atLeast(c, "push.kafka-batch-size", 1), atLeast(c, "push.document-attempts", 1),
            nonNegative(c, "push.linger")),
        positive(c, "link.backoff-initial"), positive(c, "link.backoff-max"),
        positive(c, "status.interval"), positive(c, "status.max-backlog-age"),
        remoteInvocation(c, device));
    if (cfg.backoffMax.compareTo(cfg.backoffInitial) < 0) {
      throw new ConfigException.BadValue("edgewhisk.sync.link.backoff-max", "must not be below backoff-initial");
    }
    if (cfg.enabled && !cfg.couch.configured() && !cfg.kafka.configured()) {
      throw new ConfigException.BadValue("edgewhisk.sync.couchdb.url",
          "sync is enabled but neither couchdb.url nor kafka.bootstrap-servers is set");
    }
    if (cfg.enabled && cfg.remoteInvocation.enabled() && !cfg.kafka.configured()) {
      throw new ConfigException.BadValue("edgewhisk.sync.remote-invocation.enabled",
          "remote invocation needs the central Kafka: set kafka.bootstrap-servers");
    }
    if (cfg.couch.username().isEmpty() != (cfg.couch.passwordFile() == null) && cfg.couch.configured()) {
      throw new ConfigException.BadValue("edgewhisk.sync.couchdb.password-file",
          "username and password-file go together");
    }
    return cfg;
  }

  private static RemoteInvocation remoteInvocation(Config c, String deviceId) {
    String topic = c.getString("remote-invocation.topic");
    String group = c.getString("remote-invocation.group-id");
    RemoteInvocation r = new RemoteInvocation(c.getBoolean("remote-invocation.enabled"),
        topic.isBlank() ? "invoker-edge-" + deviceId : topic, group.isBlank() ? "edgewhisk-invoker-" + deviceId : group,
        c.getString("remote-invocation.topic-prefix"), atLeast(c, "remote-invocation.invoker-instance", 0),
        nonEmpty(c, "remote-invocation.user-memory"), atLeast(c, "remote-invocation.max-running", 1),
        atLeast(c, "remote-invocation.max-completion-bytes", 64 * 1024));
    if (r.enabled() && !r.topic().matches("[A-Za-z0-9._-]{1,249}")) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync.remote-invocation.topic", "'" + r.topic()
          + "' is not a Kafka topic name (letters, digits, '.', '_', '-'; a device id with other characters needs a topic set here)");
    }
    if (!r.topicPrefix().matches("[A-Za-z0-9._-]{0,200}")) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync.remote-invocation.topic-prefix",
          "'" + r.topicPrefix() + "' cannot begin a Kafka topic name");
    }
    return r;
  }

  private static String deviceId(String configured) {
    if (!configured.isBlank()) {
      return configured;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "edgewhisk" : env;
    }
  }

  private static URI url(Config c, String key) {
    String s = c.getString(key);
    if (s.isBlank()) {
      return null;
    }
    try {
      URI u = new URI(s);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync." + key, "must be an http(s) URL, not '" + s + "'");
      }
      if (u.getUserInfo() != null) {
        throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync." + key,
            "must not carry credentials: use username and password-file");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync." + key, e.getMessage());
    }
  }

  private static Path path(String s) {
    return s.isBlank() ? null : Path.of(s);
  }

  private static String name(Config c, String key, String orElse) {
    String s = c.getString(key);
    String name = s.isBlank() ? orElse : s;
    if (name == null || !name.matches("[a-z][a-z0-9_$()+/-]*")) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync." + key,
          "'" + name + "' is not a CouchDB database name");
    }
    return name;
  }

  private static String nonEmpty(Config c, String key) {
    String s = c.getString(key);
    if (s.isBlank()) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync." + key, "must not be empty");
    }
    return s;
  }

  private static Duration positive(Config c, String key) {
    Duration d = c.getDuration(key);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync." + key, "must be positive");
    }
    return d;
  }

  private static Duration nonNegative(Config c, String key) {
    Duration d = c.getDuration(key);
    if (d.isNegative()) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync." + key, "must not be negative");
    }
    return d;
  }

  private static int atLeast(Config c, String key, int min) {
    int v = c.getInt(key);
    if (v < min) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync." + key, "must be at least " + min);
    }
    return v;
  }

  private static Map<String, Object> properties(Config c) {
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, ConfigValue> e : c.getConfig("kafka.properties").entrySet()) {
      String key = e.getKey().replace("\"", "");
      if (KafkaClientProperties.FIXED.contains(key)) {
        throw new ConfigException.BadValue(c.origin(), "edgewhisk.sync.kafka.properties",
            "'" + key + "' cannot be set here: " + KafkaClientProperties.FIXED_REASON);
      }
      out.put(key, e.getValue().unwrapped());
    }
    return out;
  }

  /** Which central entities and namespaces this device takes: its namespaces and labels (pull and remote invocation). */
  public FleetFilter fleet() {
    return new FleetFilter(namespaces, labels, pullUnlabelled);
  }

  public List<String> describe() {
    return List.of("device " + deviceId, "labels " + labels, "namespaces " + (namespaces.isEmpty() ? "all" : namespaces),
        "couchdb " + (couch.configured() ? couch.url() + (couch.username().isEmpty() ? "" : " as " + couch.username()) : "off"),
        "kafka " + (kafka.configured() ? kafka : "off"),
        "remote invocation " + (remoteInvocation.enabled() ? "from " + remoteInvocation.topic() : "off"));
  }
}
