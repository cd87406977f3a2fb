package io.edgewhisk.api;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The arguments a web action receives from its HTTP request, as OpenWhisk builds them: the request's
 * context as {@code __ow_method}, {@code __ow_headers}, {@code __ow_path} (and {@code __ow_user} when the
 * caller authenticated), then the query parameters, then the fields of a JSON object or form body (body
 * wins). Any other body arrives as {@code __ow_body}. A {@code raw-http} action instead gets the query
 * string as {@code __ow_query} and the body, unparsed, as {@code __ow_body}.
 */
final class WebArguments {
  static final String NOT_ALLOWED = "Request defines parameters that are not allowed (e.g., reserved properties).";
  static final String METHOD = "__ow_method";
  static final String HEADERS = "__ow_headers";
  static final String PATH = "__ow_path";
  static final String USER = "__ow_user";
  static final String QUERY = "__ow_query";
  static final String BODY = "__ow_body";
  static final Set<String> RESERVED = Set.of(METHOD, HEADERS, PATH, USER, QUERY, BODY);

  private WebArguments() {}

  /**
   * The action's payload for this request. {@code finalParameters} are the names of the action's
   * parameters the request may not override; trying to (or to set a reserved {@code __ow_} name) is a
   * 400, except for a raw-http action, whose request sets no named arguments at all.
   */
  static JsonObject of(HttpServerRequest request, Buffer body, String owPath, Identity user, boolean rawHttp,
      Set<String> finalParameters) {
    return of(request, body, () -> Json.decodeValue(body), owPath, user, rawHttp, finalParameters);
  }

  /** As above, with the body's JSON read by {@code json} (under the API's limits). */
  static JsonObject of(HttpServerRequest request, Buffer body, Supplier<Object> json, String owPath, Identity user,
      boolean rawHttp, Set<String> finalParameters) {
    JsonObject args = context(request, owPath, user);
    String query = request.query() == null ? "" : request.query();
    String mediaType = WebContentTypes.mediaType(request.getHeader("Content-Type"));
    boolean hasBody = body != null && body.length() > 0;
    if (rawHttp) {
      args.put(QUERY, query);
      args.put(BODY, hasBody ? opaque(body, mediaType) : "");
      return args;
    }
    Map<String, String> queryParams = decodeForm(query);
    Object parsed = hasBody ? parse(body, json, mediaType) : null;
    Set<String> named = new HashSet<>(queryParams.keySet());
    if (parsed instanceof JsonObject fields) {
      named.addAll(fields.fieldNames());
    }
    for (String name : named) {
      if (RESERVED.contains(name) || finalParameters.contains(name)) {
        throw WhiskException.badRequest(NOT_ALLOWED);
      }
    }
    queryParams.forEach(args::put);
    if (parsed instanceof JsonObject fields) {
      args.mergeIn(fields);
    } else if (hasBody) {
      args.put(BODY, parsed);
    }
    return args;
  }

  private static JsonObject context(HttpServerRequest request, String owPath, Identity user) {
    JsonObject headers = new JsonObject();
    // header names lower case, and of a repeated header the last, as OpenWhisk passes them
    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    JsonObject args = new JsonObject()
        .put(METHOD, request.method().name().toLowerCase(Locale.ROOT))
        .put(HEADERS, headers)
        .put(PATH, owPath);
    if (user != null) {
      args.put(USER, user.namespace());
    }
    return args;
  }

  /** A JSON or form body as its value (an object's fields become arguments); any other as an opaque string. */
  private static Object parse(Buffer body, Supplier<Object> json, String mediaType) {
    if (WebContentTypes.isJsonFamily(mediaType)) {
      // a malformed body fails with DecodeException, which the error mapper answers as 400
      return json.get();
    }
    if (WebContentTypes.FORM.equals(mediaType)) {
      JsonObject fields = new JsonObject();
      decodeForm(body.toString(StandardCharsets.UTF_8)).forEach(fields::put);
      return fields;
    }
    return opaque(body, mediaType);
  }

  /**
   * A body the action receives as is: text as a string, anything else base64-encoded. JSON counts as
   * binary here, as in OpenWhisk (its raw-http actions have always received JSON bodies in base64).
   */
  private static String opaque(Buffer body, String mediaType) {
    if (WebContentTypes.isTextual(mediaType) && !WebContentTypes.JSON.equals(mediaType)) {
      return body.toString(StandardCharsets.UTF_8);
    }
    return Base64.getEncoder().encodeToString(body.getBytes());
  }

  /** {@code a=1&b=x+y}: names to values, of a repeated name the last. */
  static Map<String, String> decodeForm(String encoded) {
    Map<String, String> out = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.put(name, value);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw WhiskException.badRequest("The request content was malformed: bad percent-encoding in '" + Requests.cut(s) + "'.");
    }
  }
}
