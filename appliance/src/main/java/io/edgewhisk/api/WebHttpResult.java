package io.edgewhisk.api;

import io.edgewhisk.model.WhiskException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code .http} web action result, {@code {statusCode, headers, body}}, turned into an HTTP answer as
 * OpenWhisk does: a string body is text, or base64 when the Content-Type is binary (default
 * {@code text/html}); a JSON body is sent as JSON; no body (or an empty one) is 204 unless a status is
 * given. Any shape it cannot honour is a 400 with OpenWhisk's message, never a 500.
 */
final class WebHttpResult {
  static final String UNKNOWN_CONTENT_TYPE = "Response did not specify a known content-type.";
  static final String CONTENT_TYPE_MISMATCH = "Response type in header did not match generated content type.";
  private static final String CONTENT_TYPE = "content-type";
  /** Headers the server computes itself; an action's own would contradict the body actually sent. */
  private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private WebHttpResult() {}

  static WebReply render(Object result) {
    if (!(result instanceof JsonObject o)) {
      throw invalid();
    }
    List<Map.Entry<String, String>> headers = headers(o);
    Integer code = statusCode(o);
    Object body = o.getValue("body");
    if (body instanceof String s) {
      return s.isEmpty() ? empty(code, headers) : text(code == null ? 200 : code, headers, s);
    }
    if (body != null) {
      return json(code == null ? 200 : code, headers, body);
    }
    return empty(code, headers);
  }

  private static WebReply empty(Integer code, List<Map.Entry<String, String>> headers) {
    // a Content-Type given for no content is dropped: there is nothing for it to describe
    return new WebReply(code == null ? 204 : code, without(headers, CONTENT_TYPE), Buffer.buffer());
  }

  private static WebReply text(int code, List<Map.Entry<String, String>> headers, String body) {
    String given = find(headers, CONTENT_TYPE);
    if (given != null && !WebContentTypes.isWellFormed(given)) {
      throw WhiskException.badRequest(UNKNOWN_CONTENT_TYPE);
    }
    String contentType = given == null ? "text/html" : given.trim();
    String mediaType = WebContentTypes.mediaType(contentType);
    byte[] bytes;
    if (WebContentTypes.isTextual(mediaType)) {
      // JSON sent base64-encoded is decoded, as OpenWhisk still does for actions written before JSON bodies
      bytes = WebContentTypes.isJsonFamily(mediaType) && WebContentTypes.looksBase64(body)
          ? decode(body.trim())
          : body.getBytes(StandardCharsets.UTF_8);
      if (!WebContentTypes.isJsonFamily(mediaType) && !contentType.toLowerCase(Locale.ROOT).contains("charset=")) {
        contentType = contentType + "; charset=UTF-8";
      }
    } else {
      bytes = decode(body);
    }
    return reply(code, headers, contentType, Buffer.buffer(bytes));
  }

  private static WebReply json(int code, List<Map.Entry<String, String>> headers, Object body) {
    String given = find(headers, CONTENT_TYPE);
    String contentType = given == null ? WebContentTypes.JSON : given.trim();
    if (!WebContentTypes.isWellFormed(contentType) || !WebContentTypes.isJsonFamily(WebContentTypes.mediaType(contentType))) {
      throw WhiskException.badRequest(CONTENT_TYPE_MISMATCH);
    }
    String text = body instanceof JsonObject || body instanceof JsonArray ? body.toString() : String.valueOf(body);
    return reply(code, headers, contentType, Buffer.buffer(text));
  }

  private static WebReply reply(int code, List<Map.Entry<String, String>> headers, String contentType, Buffer body) {
    List<Map.Entry<String, String>> out = without(headers, CONTENT_TYPE);
    out.add(Map.entry("Content-Type", contentType));
    return new WebReply(code, out, body);
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw WhiskException.badRequest(CONTENT_TYPE_MISMATCH);
    }
  }

  /** {@code headers}: an object of name to a string, number, boolean or an array of them (one header each). */
  private static List<Map.Entry<String, String>> headers(JsonObject result) {
    if (!result.containsKey("headers")) {
      return List.of();
    }
    if (!(result.getValue("headers") instanceof JsonObject hs)) {
      throw invalid();
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map.Entry<String, Object> h : hs) {
      if (!TOKEN.matcher(h.getKey()).matches()) {
        throw invalid();
      }
      if (!FRAMING.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        addHeader(out, h.getKey(), h.getValue(), true);
      }
    }
    return out;
  }

  private static void addHeader(List<Map.Entry<String, String>> out, String name, Object value, boolean arrayAllowed) {
    if (value instanceof JsonArray values && arrayAllowed) {
      for (Object v : values) {
        addHeader(out, name, v, false);
      }
      return;
    }
    String text;
    if (value instanceof String s) {
      text = s;
    } else if (value instanceof Boolean || value instanceof Number) {
      text = value instanceof Number n ? number(n) : value.toString();
    } else {
      throw invalid();
    }
    if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
      throw invalid();
    }
    out.add(Map.entry(name, text));
  }

  /** {@code statusCode}: a whole number or a string of one, a final HTTP status (200–599); null when absent. */
  private static Integer statusCode(JsonObject result) {
    if (!result.containsKey("statusCode")) {
      return null;
    }
    Object v = result.getValue("statusCode");
    int code;
    try {
      if (v instanceof Number n) {
        code = new BigDecimal(number(n)).intValueExact();
      } else if (v instanceof String s) {
        code = Integer.parseInt(s);
      } else {
        throw invalid();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw invalid();
    }
    // 1xx are interim answers in HTTP, never the final one a result describes
    if (code < 200 || code > 599) {
      throw invalid();
    }
    return code;
  }

  private static String number(Number n) {
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString();
    }
    return n.toString();
  }

  private static String find(List<Map.Entry<String, String>> headers, String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  private static List<Map.Entry<String, String>> without(List<Map.Entry<String, String>> headers, String name) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      if (!h.getKey().equalsIgnoreCase(name)) {
        out.add(h);
      }
    }
    return out;
  }

  private static WhiskException invalid() {
    return WebMedia.invalid("message/http");
  }
}
