package io.edgewhisk.controller;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes every activation record one that can be kept: encoded within the JSON nesting limit (a result
 * nested too deep becomes a developer error) and no larger than the log's largest record (logs beyond
 * what fits are cut with a notice, and a result that still does not fit is replaced by an error). An
 * accepted activation so never loses its record to an encoder's limit.
 */
public final class ActivationEncoding {
  static final String TOO_DEEP = "The action produced a response that nests deeper than "
      + JsonNesting.VALUE_MAX_DEPTH + " levels.";
  /** Room kept for the notice line and the encoding's own overhead when logs are cut to fit. */
  private static final int SLACK = 1024;

  /** A record as kept, and its JSON document. */
  public record Encoded(Activation activation, Buffer json) {}

  private final int maxRecordBytes;

  /** {@code maxRecordBytes}: the log's {@code max-record-bytes}, which every record must fit. */
  public ActivationEncoding(int maxRecordBytes) {
    if (maxRecordBytes < 64 * 1024) {
      throw new IllegalArgumentException("max-record-bytes must be at least 64 KiB to hold activation records");
    }
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The record with a result too deep to encode replaced; cheap (walks the result only). */
  public Activation fitNesting(Activation a) {
    if (!JsonNesting.deeperThan(a.response().result(), JsonNesting.VALUE_MAX_DEPTH)) {
      return a;
    }
    return with(a, ActivationResponse.developerError(TOO_DEEP), a.logs());
  }

  /** Encodes the record, fitted to the nesting limit and to {@code max-record-bytes}. */
  public Encoded encode(Activation activation) {
    Activation a = fitNesting(activation);
    Buffer json = a.toJson().toBuffer();
    if (json.length() <= maxRecordBytes) {
      return new Encoded(a, json);
    }
    Activation withoutLogs = with(a, a.response(), List.of());
    int fixed = withoutLogs.toJson().toBuffer().length();
    if (fixed + SLACK > maxRecordBytes) {
      withoutLogs = with(a, ActivationResponse.whiskError("The activation's response was too large to be recorded: "
          + a.response().size() + " bytes."), List.of());
      fixed = withoutLogs.toJson().toBuffer().length();
    }
    List<String> kept = cutLogs(a.logs(), maxRecordBytes - fixed - SLACK);
    Activation fitted = with(withoutLogs, withoutLogs.response(), kept);
    return new Encoded(fitted, fitted.toJson().toBuffer());
  }

  /** The first lines whose encoded size fits {@code budget}, and a notice that the rest were cut. */
  private List<String> cutLogs(List<String> logs, long budget) {
    List<String> kept = new ArrayList<>();
    long used = 0;
    for (String line : logs) {
      long size = Json.encode(line).getBytes(StandardCharsets.UTF_8).length + 1L;
      if (used + size > budget) {
        kept.add(Instant.now() + " stderr: Logs were truncated because the activation record exceeds the limit of "
            + maxRecordBytes + " bytes.");
        return kept;
      }
      used += size;
      kept.add(line);
    }
    return kept;
  }

  private static Activation with(Activation a, ActivationResponse response, List<String> logs) {
    return new Activation(a.namespace(), a.name(), a.subject(), a.activationId(), a.start(), a.end(), a.duration(),
        a.cause(), response, logs, a.annotations(), a.version(), a.publish());
  }
}
