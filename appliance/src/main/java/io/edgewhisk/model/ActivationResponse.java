package io.edgewhisk.model;

import io.vertx.core.json.JsonObject;

/**
 * The outcome of an activation. {@code result} is a JsonObject, a JsonArray or null; {@code size} is the
 * result's size in bytes when known. Status codes as in OpenWhisk: 0 success, 1 application error,
 * 2 action developer error, 3 whisk internal error.
 */
public record ActivationResponse(int statusCode, Object result, Integer size) {
  public static final int SUCCESS = 0;
  public static final int APPLICATION_ERROR = 1;
  public static final int DEVELOPER_ERROR = 2;
  public static final int WHISK_ERROR = 3;

  public ActivationResponse {
    if (statusCode < 0 || statusCode > 3) {
      throw new IllegalArgumentException("status code " + statusCode);
    }
  }

  public static ActivationResponse success(Object result) {
    return new ActivationResponse(SUCCESS, result, null);
  }

  public static ActivationResponse applicationError(Object result) {
    return new ActivationResponse(APPLICATION_ERROR, result, null);
  }

  public static ActivationResponse developerError(String error) {
    return new ActivationResponse(DEVELOPER_ERROR, new JsonObject().put("error", error), null);
  }

  public static ActivationResponse whiskError(String error) {
    return new ActivationResponse(WHISK_ERROR, new JsonObject().put("error", error), null);
  }

  public boolean isSuccess() {
    return statusCode == SUCCESS;
  }

  public String status() {
    return switch (statusCode) {
      case SUCCESS -> "success";
      case APPLICATION_ERROR -> "application error";
      case DEVELOPER_ERROR -> "action developer error";
      default -> "whisk internal error";
    };
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject()
        .put("status", status())
        .put("statusCode", statusCode)
        .put("success", isSuccess())
        .put("result", result);
    if (size != null) {
      o.put("size", size);
    }
    return o;
  }

  public static ActivationResponse fromJson(JsonObject o) {
    return new ActivationResponse(o.getInteger("statusCode"), o.getValue("result"), o.getInteger("size"));
  }
}
