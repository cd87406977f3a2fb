package io.edgewhisk.sync.invoker;

import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.push.KafkaLink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message of the invoker topic, handled: read (a malformed one is logged with its offset and skipped), run or
 * refused ({@link RemoteInvoker}), and its answer sent to {@code completed<N>} until Kafka acknowledges it
 * ({@code acks=all}), with backoff while Kafka is away. The future completes once the answer is acknowledged, so
 * that the offset is committed only then; it fails only when sync stops first (the message is read again after
 * the restart).
 */
public final class RemoteInvocation {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteInvocation.class);

  private final Vertx vertx;
  private final RemoteInvoker invoker;
  private final KafkaLink kafka;
  private final String topicPrefix;
  private final int maxCompletionBytes;
  private final Backoff backoff;
  private final Consumer<String> outcomes;
  private volatile boolean running = true;

  /** {@code outcomes} hears "answered" or "malformed" for each message (for metrics). */
  public RemoteInvocation(Vertx vertx, RemoteInvoker invoker, KafkaLink kafka, String topicPrefix, int maxCompletionBytes,
      Backoff backoff, Consumer<String> outcomes) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.invoker = Objects.requireNonNull(invoker, "invoker");
    this.kafka = Objects.requireNonNull(kafka, "kafka");
    this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
    this.maxCompletionBytes = maxCompletionBytes;
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
  }

  /** Handles one message; see the class comment. Called on the verticle's event loop. */
  public Future<Void> handle(InvokerFeed.Delivery d) {
    InvokerMessage m;
    try {
      m = InvokerMessage.parse(d.value());
    } catch (InvokerMessage.MalformedMessageException e) {
      LOG.warn("skipping the malformed message at offset {} of partition {} of the invoker topic: {}", d.offset(),
          d.partition(), e.getMessage());
      outcomes.accept("malformed");
      return Future.succeededFuture();
    }
    return invoker.answer(m).compose(completion -> {
      String topic = topicPrefix + "completed" + m.controller();
      Buffer encoded = completion.toBuffer();
      if (encoded.length() > maxCompletionBytes) {
        LOG.info("activation {}: the answer is over {} bytes; sent with the activation id in place of the activation",
            m.activationId(), maxCompletionBytes);
        return sendShrunk(topic, m.activationId(), completion);
      }
      return send(new KafkaLink.Message(topic, m.activationId(), encoded.toString()), m.activationId())
          .recover(t -> tooLarge(t) ? sendShrunk(topic, m.activationId(), completion) : Future.failedFuture(t));
    }).onSuccess(v -> outcomes.accept("answered"));
  }

  /**
   * The answer with the activation id in place of the activation (OpenWhisk's shrunk form); should Kafka refuse
   * even that as too large, it is given up (logged), as a poison message must not hold the topic.
   */
  private Future<Void> sendShrunk(String topic, String activationId, JsonObject completion) {
    return send(new KafkaLink.Message(topic, activationId, Completion.shrunk(completion).encode()), activationId)
        .recover(t -> {
          if (!tooLarge(t)) {
            return Future.failedFuture(t);
          }
          LOG.error("activation {}: Kafka refused even the shrunk answer ({}); not answered", activationId, t.getMessage());
          return Future.succeededFuture();
        });
  }

  private static boolean tooLarge(Throwable t) {
    return t instanceof KafkaLink.KafkaUnavailableException k && k.tooLarge();
  }

  /** Sends until acknowledged; a message Kafka refuses as too large fails at once (sending again cannot help). */
  private Future<Void> send(KafkaLink.Message message, String activationId) {
    return kafka.send(List.of(message)).transform(ar -> {
      if (ar.succeeded()) {
        backoff.reset();
        return Future.succeededFuture();
      }
      if (!running || tooLarge(ar.cause())) {
        return Future.failedFuture(ar.cause());
      }
      long wait = backoff.next();
      LOG.warn("activation {}: the answer to {} was not acknowledged ({}); trying again in {} ms", activationId,
          message.topic(), ar.cause().getMessage(), wait);
      Promise<Void> again = Promise.promise();
      vertx.setTimer(wait, t -> send(message, activationId).onComplete(again));
      return again.future();
    });
  }

  /** Stops trying: answers not yet acknowledged fail, so their messages are not committed. */
  public void stop() {
    running = false;
  }
}
