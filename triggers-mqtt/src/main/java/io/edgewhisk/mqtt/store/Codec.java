package io.edgewhisk.mqtt.store;

import io.edgewhisk.mqtt.broker.Delivery;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The stored form of messages, deliveries and subscriptions: a small versioned binary format. */
public final class Codec {
  private static final int VERSION = 1;

  private Codec() {}

  static byte[] delivery(Delivery d) {
    return write(out -> {
      message(out, d.message());
      out.writeByte(d.qos());
      out.writeBoolean(d.retain());
      out.writeShort(d.subscriptionIds().size());
      for (int id : d.subscriptionIds()) {
        out.writeInt(id);
      }
    });
  }

  static Delivery delivery(byte[] bytes, long key) {
    return read(bytes, in -> {
      PublishedMessage m = message(in);
      int qos = in.readByte();
      boolean retain = in.readBoolean();
      int n = in.readShort();
      List<Integer> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(in.readInt());
      }
      return new Delivery(m, qos, retain, ids, key);
    });
  }

  public static byte[] message(PublishedMessage m) {
    return write(out -> message(out, m));
  }

  public static PublishedMessage message(byte[] bytes) {
    return read(bytes, Codec::message);
  }

  static byte[] subscriptions(List<Subscription> subs) {
    return write(out -> {
      out.writeInt(subs.size());
      for (Subscription s : subs) {
        out.writeUTF(s.clientId());
        out.writeUTF(s.filter());
        nullable(out, s.shareGroup());
        out.writeByte(s.qos());
        out.writeBoolean(s.noLocal());
        out.writeBoolean(s.retainAsPublished());
        out.writeByte(s.retainHandling());
        out.writeInt(s.identifier());
      }
    });
  }

  static List<Subscription> subscriptions(byte[] bytes) {
    return read(bytes, in -> {
      int n = in.readInt();
      List<Subscription> subs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        subs.add(new Subscription(in.readUTF(), in.readUTF(), nullable(in), in.readByte(), in.readBoolean(),
            in.readBoolean(), in.readByte(), in.readInt()));
      }
      return subs;
    });
  }

  private static void message(DataOutputStream out, PublishedMessage m) throws IOException {
    out.writeUTF(m.topic());
    out.writeInt(m.payload().length);
    out.write(m.payload());
    out.writeByte(m.qos());
    out.writeBoolean(m.retain());
    out.writeLong(m.expiresAt());
    out.writeUTF(m.publisher());
    MessageProperties p = m.properties();
    out.writeInt(p.payloadFormat() == null ? -1 : p.payloadFormat());
    nullable(out, p.contentType());
    nullable(out, p.responseTopic());
    out.writeInt(p.correlationData() == null ? -1 : p.correlationData().length);
    if (p.correlationData() != null) {
      out.write(p.correlationData());
    }
    out.writeInt(p.userProperties().size());
    for (MessageProperties.UserProperty u : p.userProperties()) {
      out.writeUTF(u.name());
      out.writeUTF(u.value());
    }
  }

  private static PublishedMessage message(DataInputStream in) throws IOException {
    String topic = in.readUTF();
    byte[] payload = in.readNBytes(in.readInt());
    int qos = in.readByte();
    boolean retain = in.readBoolean();
    long expiresAt = in.readLong();
    String publisher = in.readUTF();
    int format = in.readInt();
    String contentType = nullable(in);
    String responseTopic = nullable(in);
    int corrLength = in.readInt();
    byte[] correlation = corrLength < 0 ? null : in.readNBytes(corrLength);
    int n = in.readInt();
    List<MessageProperties.UserProperty> users = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      users.add(new MessageProperties.UserProperty(in.readUTF(), in.readUTF()));
    }
    MessageProperties props = format < 0 && contentType == null && responseTopic == null && correlation == null
        && users.isEmpty() ? MessageProperties.NONE
        : new MessageProperties(format < 0 ? null : format, contentType, responseTopic, correlation, users);
    return new PublishedMessage(topic, payload, qos, retain, props, expiresAt, publisher);
  }

  private static void nullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String nullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      w.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(byte[] bytes, Reader<T> r) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      int version = in.readByte();
      if (version != VERSION) {
        throw new IOException("stored record of unknown version " + version);
      }
      return r.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
