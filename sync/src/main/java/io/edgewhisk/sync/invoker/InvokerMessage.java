package io.edgewhisk.sync.invoker;

import io.edgewhisk.model.ActivationId;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * An OpenWhisk {@code ActivationMessage} as a central controller sends it to an invoker's topic: what the
 * gateway needs of it to run the action and address its answer. The API key it carries is the caller's
 * credential: {@link #toString()} never shows it.
 *
 * @param transid OpenWhisk's transaction id ({@code [id, start ms]}), sent back as it came
 * @param path the action's namespace and package ({@code guest} or {@code guest/pkg})
 * @param version the action's version, or null
 * @param namespace the invoking identity's namespace ({@code user.namespace.name})
 * @param apiKey {@code user.authkey.api_key} ({@code uuid:key})
 * @param controller {@code rootControllerIndex.asString}: the answer goes to {@code completed<controller>}
 * @param cause the activation id of the sequence or trigger that caused this one, or null
 */
public record InvokerMessage(JsonArray transid, String path, String name, String version, String subject,
    String namespace, String apiKey, String activationId, String controller, boolean blocking, JsonObject content,
    String cause) {
  /** What Kafka allows in a topic name (the answer's topic ends with the controller's index). */
  private static final Pattern TOPIC_SAFE = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  /** The action as the core's invocation service names it: {@code /namespace[/package]/name}. */
  public String action() {
    return "/" + path + "/" + name;
  }

  /** OpenWhisk's {@code path} annotation of the activation: {@code namespace[/package]/name}. */
  public String pathAnnotation() {
    return path + "/" + name;
  }

  /** The message, or a {@link MalformedMessageException} saying what is wrong with it. */
  public static InvokerMessage parse(byte[] value) {
    if (value == null) {
      throw new MalformedMessageException("the message has no value");
    }
    JsonObject o;
    try {
      o = Buffer.buffer(value).toJsonObject();
    } catch (RuntimeException e) {
      throw new MalformedMessageException("the message is not a JSON object");
    }
    if (!(o.getValue("transid") instanceof JsonArray transid) || transid.isEmpty()) {
      throw new MalformedMessageException("'transid' is not an array");
    }
    JsonObject action = object(o, "action");
    JsonObject user = object(o, "user");
    String controller = string(object(o, "rootControllerIndex"), "asString", "rootControllerIndex.asString");
    if (!TOPIC_SAFE.matcher(controller).matches()) {
      throw new MalformedMessageException("rootControllerIndex.asString '" + shorten(controller) + "' cannot name a topic");
    }
    String activationId = string(o, "activationId", "activationId");
    if (!ActivationId.isValid(activationId)) {
      throw new MalformedMessageException("activationId '" + shorten(activationId) + "' is not 32 hex digits");
    }
    Object cause = o.getValue("cause");
    if (cause != null && !(cause instanceof String c && ActivationId.isValid(c))) {
      throw new MalformedMessageException("cause is not an activation id");
    }
    Object content = o.getValue("content");
    if (content != null && !(content instanceof JsonObject)) {
      throw new MalformedMessageException("'content' is not an object");
    }
    Object blocking = o.getValue("blocking") == null ? Boolean.FALSE : o.getValue("blocking");
    if (!(blocking instanceof Boolean)) {
      throw new MalformedMessageException("'blocking' is not a boolean");
    }
    Object version = action.getValue("version");
    if (version != null && !(version instanceof String)) {
      throw new MalformedMessageException("action.version is not a string");
    }
    return new InvokerMessage(transid, string(action, "path", "action.path"), string(action, "name", "action.name"),
        (String) version, string(user, "subject", "user.subject"),
        string(object(user, "namespace"), "name", "user.namespace.name"),
        string(object(user, "authkey"), "api_key", "user.authkey.api_key"), activationId, controller, (Boolean) blocking,
        content == null ? new JsonObject() : (JsonObject) content, (String) cause);
  }

  private static JsonObject object(JsonObject o, String field) {
    if (!(o.getValue(field) instanceof JsonObject inner)) {
      throw new MalformedMessageException("'" + field + "' is not an object");
    }
    return inner;
  }

  private static String string(JsonObject o, String field, String name) {
    if (!(o.getValue(field) instanceof String s) || s.isBlank()) {
      throw new MalformedMessageException(name + " is missing");
    }
    return s;
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  @Override
  public String toString() {
    // never the API key, never the parameters (they may hold secrets too)
    return "ActivationMessage[" + activationId + " of " + action() + " for " + namespace + ", controller " + controller
        + (blocking ? ", blocking" : "") + "]";
  }

  /** The message cannot be read: it is logged with its offset and skipped (a poison message never blocks the topic). */
  public static final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
      super(message, null, false, false);
    }
  }
}
