package io.edgewhisk.controller;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** The action kinds this appliance can run, as its runtimes manifest declares them. */
public interface RuntimeKinds {

  /** The kind itself, or for {@code <lang>:default} the language's default kind; empty if unknown. */
  Optional<String> resolve(String kind);

  /** The manifest as {@code GET /} shows it under {@code runtimes}. */
  JsonObject describe();
}
