package io.edgewhisk.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.json.DecodeException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Reads one JSON document into Vert.x's tree shapes ({@code Map}, {@code List}, scalars) under
 * {@link JsonLimits}, token by token, so that a document over a limit is refused before the rest of it
 * is built. Numbers stay exact: integers become {@code Integer}, {@code Long} or {@code BigInteger}, and
 * a decimal becomes a {@code Double} only when the double says the same number, else a
 * {@code BigDecimal} ({@code 1e400} stays {@code 1e400}, never "Infinity"). Comments and other
 * extensions of JSON are refused. Errors never quote the parser library.
 */
public final class JsonTree {
  /** What one value costs in memory beyond its characters: map entry or list slot, boxing, headers. */
  static final int BYTES_PER_TOKEN = 64;
  private static final long CHARGE_BATCH = 256 * 1024;
  private final JsonFactory factory;
  private final JsonLimits limits;

  public JsonTree(JsonLimits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(limits.maxStringChars())
            .maxNestingDepth(limits.maxDepth() + 1) // ours answers first, in our words
            .maxNumberLength(1000)
            .maxNameLength(Math.min(limits.maxStringChars(), 1_000_000))
            .maxDocumentLength(limits.maxDocumentBytes() == Long.MAX_VALUE ? -1 : limits.maxDocumentBytes())
            .build())
        .build();
  }

  /**
   * Reads a whole document; {@code charge} is told, in batches, what the tree's structure costs
   * ({@value #BYTES_PER_TOKEN} bytes a value) as it is built, and may stop it by throwing.
   */
  public Object read(byte[] bytes, int offset, int length, LongConsumer charge) {
    if (length > limits.maxDocumentBytes()) {
      throw new JsonLimitExceeded("bytes", limits.maxDocumentBytes());
    }
    try (JsonParser parser = factory.createParser(bytes, offset, length)) {
      return readDocument(parser, charge);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  public Object read(String text, LongConsumer charge) {
    try (JsonParser parser = factory.createParser(text)) {
      return readDocument(parser, charge);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  private Object readDocument(JsonParser parser, LongConsumer charge) throws IOException {
    Reading reading = new Reading(parser, charge);
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new DecodeException("The request content was malformed: no JSON value.");
    }
    Object value = reading.value(first);
    if (parser.nextToken() != null) {
      throw new DecodeException("The request content was malformed: more than one JSON value at " + where(parser.currentLocation()) + ".");
    }
    reading.flush();
    return value;
  }

  private DecodeException malformed(IOException e) {
    if (e instanceof StreamConstraintsException) {
      // the document's length and nesting are checked before Jackson would: what is left is one token
      throw new JsonLimitExceeded("characters in one string or number", limits.maxStringChars());
    }
    JsonLocation at = e instanceof JsonProcessingException p ? p.getLocation() : null;
    return new DecodeException("The request content was malformed: not valid JSON" + (at == null ? "" : " at " + where(at)) + ".");
  }

  private static String where(JsonLocation at) {
    return "line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** One document's walk: counts values, charges memory, builds the tree. */
  private final class Reading {
    private final JsonParser parser;
    private final LongConsumer charge;
    private long tokens;
    private long uncharged;
    private int depth;

    Reading(JsonParser parser, LongConsumer charge) {
      this.parser = parser;
      this.charge = charge;
    }

    Object value(JsonToken token) throws IOException {
      count();
      return switch (token) {
        case START_OBJECT -> object();
        case START_ARRAY -> array();
        case VALUE_STRING -> string();
        case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
          case INT -> parser.getIntValue();
          case LONG -> parser.getLongValue();
          default -> parser.getBigIntegerValue();
        };
        case VALUE_NUMBER_FLOAT -> decimal(parser.getText());
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NULL -> null;
        default -> throw new DecodeException("The request content was malformed: unexpected " + token + ".");
      };
    }

    private void deeper() {
      if (++depth > limits.maxDepth()) {
        throw new JsonLimitExceeded("nesting levels", limits.maxDepth());
      }
    }

    private Map<String, Object> object() throws IOException {
      deeper();
      Map<String, Object> map = new LinkedHashMap<>();
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
        String name = parser.currentName();
        count();
        map.put(name, value(parser.nextToken()));
      }
      depth--;
      return map;
    }

    private List<Object> array() throws IOException {
      deeper();
      List<Object> list = new ArrayList<>();
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        list.add(value(t));
      }
      depth--;
      return list;
    }

    private String string() throws IOException {
      String s = parser.getText();
      count();
      return s;
    }

    private void count() {
      if (++tokens > limits.maxTokens()) {
        throw new JsonLimitExceeded("values", limits.maxTokens());
      }
      // the characters themselves are the caller's to account for (a document holds at most its length)
      uncharged += BYTES_PER_TOKEN;
      if (uncharged >= CHARGE_BATCH) {
        flush();
      }
    }

    void flush() {
      if (uncharged > 0) {
        long c = uncharged;
        uncharged = 0;
        charge.accept(c);
      }
    }
  }

  /**
   * A double when it is exactly the number written (at most 15 significant digits, within the normal
   * range), else the exact decimal.
   */
  static Number decimal(String text) {
    int digits = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'e' || c == 'E') {
        break;
      }
      if (c >= '0' && c <= '9') {
        if (c != '0' || !leading) {
          leading = false;
          digits++;
        }
      }
    }
    if (digits <= 15) {
      double d = Double.parseDouble(text);
      if (d == 0 ? digits == 0 : Double.isFinite(d) && Math.abs(d) >= Double.MIN_NORMAL) {
        return d;
      }
    }
    return new BigDecimal(text);
  }
}
