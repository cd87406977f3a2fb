package io.edgewhisk.config;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per log line ({@code edgewhisk.logging.format = json}), for journald, Loki or any
 * shipper that reads JSON lines: {@code time} (ISO-8601, UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, every MDC entry as a field of its own (a line about an activation
 * carries {@code activationId} and {@code namespace}), and {@code error} with the stack trace when there
 * is one. Flat fields rather than logback's own JsonEncoder's nested shape, so queries stay short.
 */
public final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NOTHING = new byte[0];
  private final JsonFactory json = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", event.getFormattedMessage());
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        for (Map.Entry<String, String> e : mdc.entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        g.writeStringField("error", ThrowableProxyUtil.asString(error));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }
}
