package io.edgewhisk.invoker;

import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.KeyValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The bodies of {@code /init} and {@code /run} (OpenWhisk's section 5) and the reading of their answers into
 * activation responses, with OpenWhisk's messages.
 */
final class ActionProxyMessages {
  static final String MEMORY_EXHAUSTED = "The action exhausted its memory and was aborted.";
  static final String ABNORMAL_INIT = "The action did not initialize and exited unexpectedly.";
  static final String ABNORMAL_RUN = "The action did not produce a valid response and exited unexpectedly.";

  private ActionProxyMessages() {}

  static boolean providesApiKey(ActivationRequest r) {
    Object v = r.action().annotations().get("provide-api-key");
    return !(Boolean.FALSE.equals(v) || "false".equals(v));
  }

  /** {@code /init}: name, main, code, binary, and env = init parameters plus the {@code __OW_*} values. */
  static Buffer initBody(ActivationRequest r, long deadline, boolean concurrent) {
    JsonObject env = new JsonObject();
    for (KeyValue kv : r.action().parameters().entries()) {
      if (kv.init()) {
        Object v = r.arguments().containsKey(kv.key()) ? r.arguments().getValue(kv.key()) : kv.value();
        env.put(kv.key(), v);
      }
    }
    if (providesApiKey(r)) {
      env.put("__OW_API_KEY", r.user().authKey());
    }
    env.put("__OW_NAMESPACE", r.user().namespace())
        .put("__OW_ACTION_NAME", r.action().fqn().absolute())
        .put("__OW_ACTION_VERSION", r.action().version().toString())
        .put("__OW_ACTIVATION_ID", r.activationId().value())
        .put("__OW_TRANSACTION_ID", r.transactionId())
        .put("__OW_DEADLINE", String.valueOf(deadline));
    if (concurrent) {
      env.put("__OW_ALLOW_CONCURRENT", "true");
    }
    JsonObject value = new JsonObject()
        .put("name", r.action().fqn().name())
        .put("main", r.code().main() == null ? "main" : r.code().main())
        .put("binary", r.code().binary())
        .put("code", r.code().code())
        .put("env", env);
    return new JsonObject().put("value", value).toBuffer();
  }

  /** {@code /run}: the arguments (without init parameters) and the activation's context. */
  static Buffer runBody(ActivationRequest r, long deadline) {
    JsonObject args = r.arguments();
    boolean hasInit = r.action().parameters().entries().stream()
        .anyMatch(kv -> kv.init() && r.arguments().containsKey(kv.key()));
    if (hasInit) {
      args = args.copy();
      for (KeyValue kv : r.action().parameters().entries()) {
        if (kv.init()) {
          args.remove(kv.key());
        }
      }
    }
    JsonObject body = new JsonObject()
        .put("value", args)
        .put("namespace", r.user().namespace())
        .put("action_name", r.action().fqn().absolute())
        .put("action_version", r.action().version().toString())
        .put("activation_id", r.activationId().value())
        .put("transaction_id", r.transactionId())
        .put("deadline", String.valueOf(deadline));
    if (providesApiKey(r)) {
      body.put("api_key", r.user().authKey());
    }
    return body.toBuffer();
  }

  /** Null when the container initialized, else the developer error to report. */
  static ActivationResponse ofInit(ActionProxyClient.Response resp) {
    if (resp.status() == 200) {
      return null;
    }
    Object body = parse(resp.body());
    if (body instanceof JsonObject o && o.containsKey("error")) {
      return new ActivationResponse(ActivationResponse.DEVELOPER_ERROR, o, null);
    }
    return ActivationResponse.developerError("The action failed during initialization: " + text(resp.body()));
  }

  /** The activation's response from {@code /run}'s answer, the result cut when over {@code maxBytes}. */
  static ActivationResponse ofRun(ActionProxyClient.Response resp, long maxBytes) {
    Buffer b = resp.body();
    if (resp.length() > maxBytes) {
      String trunk = new String(b.getBytes(0, (int) Math.min(maxBytes, b.length())), StandardCharsets.UTF_8);
      return new ActivationResponse(ActivationResponse.APPLICATION_ERROR, new JsonObject().put("error",
          "The action produced a response that exceeded the allowed length: " + resp.length() + " > " + maxBytes
              + " bytes. The truncated response was: " + trunk), (int) Math.min(Integer.MAX_VALUE, resp.length()));
    }
    Object body = parse(b);
    if (body == null) {
      return ActivationResponse.developerError("The action did not produce a valid JSON response: " + text(b));
    }
    if (resp.status() != 200) {
      if (body instanceof JsonObject o && o.containsKey("error")) {
        return new ActivationResponse(ActivationResponse.DEVELOPER_ERROR, o, b.length());
      }
      return ActivationResponse.developerError("The action did not produce a valid response: " + text(b));
    }
    if (body instanceof JsonObject o && o.containsKey("error")) {
      return new ActivationResponse(ActivationResponse.APPLICATION_ERROR, o, b.length());
    }
    return new ActivationResponse(ActivationResponse.SUCCESS, body, b.length());
  }

  static String timeout(int timeoutMs, boolean init) {
    return "The action exceeded its time limits of " + timeoutMs + " milliseconds"
        + (init ? " during initialization." : ".");
  }

  private static Object parse(Buffer b) {
    try {
      Object v = Json.decodeValue(b);
      return v instanceof JsonObject || v instanceof JsonArray ? v : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  private static String text(Buffer b) {
    String s = b.toString(StandardCharsets.UTF_8).strip();
    return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
  }
}
