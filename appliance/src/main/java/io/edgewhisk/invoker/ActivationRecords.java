package io.edgewhisk.invoker;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Makes the finished activation record, with the annotations OpenWhisk's invoker puts on it. */
final class ActivationRecords {
  private ActivationRecords() {}

  static Activation of(ActivationRequest r, ContainerProxy.RunResult run, long waitTime, String kind) {
    List<KeyValue> a = new ArrayList<>(6);
    a.add(KeyValue.of("path", r.action().fqn().toString()));
    a.add(KeyValue.of("waitTime", Math.max(0, waitTime)));
    a.add(KeyValue.of("kind", kind));
    a.add(KeyValue.of("timeout", isTimeout(run.response())));
    a.add(KeyValue.of("limits", r.action().limits().toJson()));
    if (run.initTime() != null) {
      a.add(KeyValue.of("initTime", run.initTime()));
    }
    return Activation.record(r.user().namespace(), r.action().fqn().name(), r.user().subject(), r.activationId(),
        run.start(), run.end(), run.end() - run.start(), r.cause(), run.response(), run.logs(), new KeyValues(a),
        r.action().version());
  }

  /** A record for an activation that never reached a container. */
  static Activation failed(ActivationRequest r, ActivationResponse response, String kind) {
    long now = System.currentTimeMillis();
    return of(r, new ContainerProxy.RunResult(response, List.of(), now, now, null), now - r.receivedAt(), kind);
  }

  private static boolean isTimeout(ActivationResponse response) {
    return response.statusCode() == ActivationResponse.DEVELOPER_ERROR
        && response.result() instanceof JsonObject o
        && o.getValue("error") instanceof String s
        && s.startsWith("The action exceeded its time limits");
  }
}
