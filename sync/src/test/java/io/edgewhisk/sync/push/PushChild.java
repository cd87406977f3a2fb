package io.edgewhisk.sync.push;

import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchEndpoint;
import io.edgewhisk.sync.fakes.CoreLogTopics;
import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.link.LinkState;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * A gateway's push in a process of its own, for the SIGKILL test: the core's file log in {@code args[0]},
 * pushing to the CouchDB at {@code args[1]} in batches of {@code args[2]}; prints the records still waiting as
 * {@code WAITING n} every 50 ms (the test kills it on this, its own progress) and DRAINED once nothing waits.
 */
public final class PushChild {
  private PushChild() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    CoreLogTopics log = CoreLogTopics.open(vertx, Path.of(args[0])).toCompletionStage().toCompletableFuture().get();
    CouchClient couch = new CouchClient(vertx, new CouchEndpoint(URI.create(args[1]), null, null), Duration.ofSeconds(10), 4);
    PushLoop loop = new PushLoop(vertx, log, "push-couchdb", Integer.parseInt(args[2]),
        new CouchDelivery(vertx, couch, "whisk_local_activations", "gw-kill", log, 3, PushReporter.NONE),
        new Backoff(100, 2_000, new Random()), new LinkState("couchdb-push", Clock.systemUTC()));
    loop.start().toCompletionStage().toCompletableFuture().get();
    System.out.println("STARTED at " + log.committed(LogTopics.ACTIVATIONS, "push-couchdb").toCompletionStage().toCompletableFuture().get());
    long waiting;
    while ((waiting = loop.depth().toCompletionStage().toCompletableFuture().get()) > 0) {
      System.out.println("WAITING " + waiting);
      System.out.flush();
      Thread.sleep(50);
    }
    System.out.println("DRAINED");
    loop.stop().toCompletionStage().toCompletableFuture().get();
    log.log().close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}
