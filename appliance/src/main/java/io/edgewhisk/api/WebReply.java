package io.edgewhisk.api;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An HTTP answer made from a web action's result: status, headers in order (repeats allowed), body. */
record WebReply(int status, List<Map.Entry<String, String>> headers, Buffer body) {
  WebReply {
    headers = List.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  static WebReply of(int status, String contentType, Buffer body) {
    return new WebReply(status, List.of(Map.entry("Content-Type", contentType)), body);
  }
}
