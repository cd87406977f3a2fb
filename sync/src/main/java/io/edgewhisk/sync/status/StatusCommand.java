package io.edgewhisk.sync.status;

import com.typesafe.config.Config;
import io.edgewhisk.spi.AdminCommand;
import io.edgewhisk.sync.SyncPlugin;
import io.edgewhisk.spi.AdminContext;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code edgewhisk sync status [--json]}: the last device status the running plugin recorded. Exits 0 when
 * every link is up and the backlog is younger than {@code status.max-backlog-age}; 1 when a link is down,
 * the backlog is too old, sync is off, or the status is stale (the server is not running); 2 on a usage error.
 */
public final class StatusCommand implements AdminCommand {

  @Override
  public String word() {
    return "sync";
  }

  @Override
  public String usage() {
    return "edgewhisk sync status [--json]   links, pull position, outbox and errors of fleet sync (exit 1 when unhealthy)";
  }

  @Override
  public int run(List<String> args, AdminContext context) {
    if (args.isEmpty() || !args.get(0).equals("status") || args.size() > 2
        || (args.size() == 2 && !args.get(1).equals("--json"))) {
      context.err().println("usage: " + usage());
      return 2;
    }
    PrintStream out = context.out();
    Config config = SyncPlugin.complete(context.config());
    if (!config.getBoolean("enabled")) {
      context.err().println("fleet sync is off (edgewhisk.sync.enabled = false)");
      return 1;
    }
    JsonObject status;
    try {
      status = new StatusStore(context.database()).load().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      context.err().println("cannot read the sync status: " + e.getMessage());
      return 1;
    }
    if (status == null) {
      context.err().println("fleet sync has not run on this device yet");
      return 1;
    }
    Duration interval = config.getDuration("status.interval");
    Duration maxAge = config.getDuration("status.max-backlog-age");
    if (args.size() == 2) {
      out.println(status.encodePrettily());
    } else {
      print(status, out);
    }
    return verdict(status, interval, maxAge, System.currentTimeMillis(), context.err());
  }

  /** 0 healthy, 1 not: saying why on {@code err}. */
  static int verdict(JsonObject status, Duration interval, Duration maxAge, long now, PrintStream err) {
    int code = 0;
    long age = now - status.getLong("updated", 0L);
    if (age > 3 * interval.toMillis() + 5_000) {
      err.println("the status is " + age / 1000 + " s old: is EdgeWhisk running with sync enabled?");
      code = 1;
    }
    JsonObject links = status.getJsonObject("links", new JsonObject());
    for (String name : links.fieldNames()) {
      JsonObject l = links.getJsonObject(name);
      if (!l.getBoolean("up", false)) {
        err.println(name + " is down: " + l.getString("lastError", "not connected yet"));
        code = 1;
      }
    }
    JsonObject outbox = status.getJsonObject("outbox", new JsonObject());
    for (String name : outbox.fieldNames()) {
      long oldest = outbox.getJsonObject(name).getLong("oldestAgeSeconds", 0L);
      if (oldest > maxAge.toSeconds()) {
        err.println(name + ": the oldest activation not yet pushed is " + oldest + " s old (limit " + maxAge.toSeconds() + " s)");
        code = 1;
      }
    }
    return code;
  }

  private static void print(JsonObject s, PrintStream out) {
    out.println("device      " + s.getString("device") + " (version " + s.getString("version") + ", up "
        + s.getLong("uptime") + " s, status of " + Instant.ofEpochMilli(s.getLong("updated")) + ")");
    out.println("labels      " + s.getJsonArray("labels") + "   namespaces " + s.getJsonArray("namespaces"));
    JsonObject links = s.getJsonObject("links", new JsonObject());
    for (String name : links.fieldNames()) {
      JsonObject l = links.getJsonObject(name);
      out.println("link        " + name + ": " + (l.getBoolean("up") ? "up" : "DOWN") + " since "
          + Instant.ofEpochMilli(l.getLong("since")) + (l.getBoolean("up") || l.getString("lastError") == null ? "" : " — " + l.getString("lastError")));
    }
    JsonObject pull = s.getJsonObject("pull");
    if (pull != null) {
      out.println("pull        whisks at " + pull.getValue("whisksSeq") + ", subjects at " + pull.getValue("subjectsSeq")
          + ", last batch " + (pull.getLong("lastPullAt", 0L) == 0 ? "never" : Instant.ofEpochMilli(pull.getLong("lastPullAt"))));
    }
    JsonObject outbox = s.getJsonObject("outbox", new JsonObject());
    for (String name : outbox.fieldNames()) {
      JsonObject o = outbox.getJsonObject(name);
      out.println("outbox      " + name + ": " + o.getLong("depth") + " waiting, oldest " + o.getLong("oldestAgeSeconds")
          + " s, " + o.getLong("delivered") + " delivered since start");
    }
    s.getJsonArray("pullErrors", new io.vertx.core.json.JsonArray()).forEach(e -> {
      JsonObject o = (JsonObject) e;
      out.println("not applied " + o.getString("feed") + " " + o.getString("id") + ": " + o.getString("reason")
          + (o.getBoolean("retry") ? " (retrying, " + o.getInteger("attempts") + " attempts)" : ""));
    });
    s.getJsonArray("replacedLocal", new io.vertx.core.json.JsonArray())
        .forEach(n -> out.println("replaced    local entity " + n + " by the central one"));
    if (s.getString("lastError") != null) {
      out.println("last error  " + s.getString("lastError"));
    }
  }
}
