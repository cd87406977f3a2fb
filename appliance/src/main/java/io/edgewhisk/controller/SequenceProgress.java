package io.edgewhisk.controller;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** How far a sequence has come: the next component's input, the ids so far, the summed duration. */
final class SequenceProgress {
  private JsonObject input;
  private ActivationResponse last;
  private final List<String> ids = new ArrayList<>();
  private long duration;
  private boolean stopped;

  SequenceProgress(JsonObject args) {
    this.input = args;
  }

  JsonObject input() {
    return input;
  }

  boolean stopped() {
    return stopped;
  }

  void add(Activation a) {
    ids.add(a.activationId().value());
    duration += a.duration();
    last = a.response();
    Object result = a.response().result();
    if (!a.response().isSuccess()) {
      stopped = true;
    } else if (result instanceof JsonObject o) {
      input = o;
    } else if (result instanceof JsonArray) {
      // an array result cannot be the next component's arguments, which are an object
      stopped = true;
      last = ActivationResponse.applicationError(new JsonObject().put("error", "The action did not return a dictionary."));
    } else {
      input = new JsonObject();
    }
  }

  void fail(String error) {
    stopped = true;
    last = ActivationResponse.applicationError(new JsonObject().put("error", error));
  }

  ActivationResponse response() {
    return last == null ? ActivationResponse.success(input) : last;
  }

  List<String> componentIds() {
    return ids;
  }

  long duration() {
    return duration;
  }
}
