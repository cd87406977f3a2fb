package io.edgewhisk.api;

import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The extensions a web action URL may end with, each a way of turning the action's result into an HTTP
 * answer, with OpenWhisk's rules and messages: {@code .json} the result as JSON, {@code .html},
 * {@code .svg} and {@code .text} a string field ({@code body}, else the field named like the extension),
 * {@code .http} the result as {@code {statusCode, headers, body}}.
 */
enum WebMedia {
  HTTP(".http", "message/http"),
  JSON(".json", "application/json"),
  HTML(".html", "text/html"),
  SVG(".svg", "image/svg+xml"),
  TEXT(".text", "text/plain");

  static final String PROPERTY_NOT_FOUND = "Response does not include requested property.";
  static final String PROCESSING_ERROR = "There was an error processing your request.";
  private final String extension;
  private final String mediaType;

  WebMedia(String extension, String mediaType) {
    this.extension = extension;
    this.mediaType = mediaType;
  }

  String extension() {
    return extension;
  }

  /** The media a name with an extension asks for; {@code .http} when it has none of the known ones. */
  static WebMedia forName(String nameWithExtension) {
    for (WebMedia m : values()) {
      if (nameWithExtension.endsWith(m.extension)) {
        return m;
      }
    }
    return HTTP;
  }

  /**
   * The answer to an activation's response: a success renders its result, an application error the
   * value of its {@code error} field (so an action can fail with a status code of its choosing), and
   * any other failure is OpenWhisk's 400.
   */
  WebReply answer(ActivationResponse response) {
    Object result = response.result() == null ? new JsonObject() : response.result();
    return switch (response.statusCode()) {
      case ActivationResponse.SUCCESS -> render(result);
      case ActivationResponse.APPLICATION_ERROR -> {
        if (result instanceof JsonObject o && o.containsKey("error")) {
          yield render(o.getValue("error"));
        }
        throw new WhiskException(404, PROPERTY_NOT_FOUND);
      }
      default -> throw WhiskException.badRequest(PROCESSING_ERROR);
    };
  }

  /** Renders a (projected) result; fails with 400 "Response is not valid '…'." when it has the wrong shape. */
  WebReply render(Object result) {
    return switch (this) {
      case HTTP -> WebHttpResult.render(result);
      case JSON -> json(result);
      case HTML -> string(field(result, "html"), "text/html; charset=UTF-8");
      case SVG -> string(field(result, "svg"), "image/svg+xml");
      case TEXT -> text(field(result, "text"));
    };
  }

  static WhiskException invalid(String mediaType) {
    return WhiskException.badRequest("Response is not valid '" + mediaType + "'.");
  }

  private WebReply json(Object result) {
    if (result instanceof JsonObject || result instanceof JsonArray) {
      return WebReply.of(200, "application/json", Buffer.buffer(result.toString()));
    }
    throw invalid(mediaType);
  }

  private WebReply string(Object value, String contentType) {
    if (value instanceof String s) {
      return WebReply.of(200, contentType, Buffer.buffer(s));
    }
    throw invalid(mediaType);
  }

  private static WebReply text(Object value) {
    String text;
    if (value == Missing.FIELD) {
      throw new WhiskException(404, PROPERTY_NOT_FOUND);
    } else if (value instanceof JsonObject o) {
      text = o.encodePrettily();
    } else if (value instanceof JsonArray a) {
      text = a.encodePrettily();
    } else {
      text = String.valueOf(value);
    }
    return WebReply.of(200, "text/plain; charset=UTF-8", Buffer.buffer(text));
  }

  /** From an object, its {@code body} or else the named field (or {@link Missing#FIELD}); anything else as is. */
  private static Object field(Object result, String name) {
    if (result instanceof JsonObject o) {
      if (o.containsKey("body")) {
        return o.getValue("body");
      }
      return o.containsKey(name) ? o.getValue(name) : Missing.FIELD;
    }
    return result;
  }

  /** Marks a field that is absent, as opposed to present with the value null. */
  private enum Missing { FIELD }
}
