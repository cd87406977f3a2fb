package io.edgewhisk.mqtt.broker;

import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5 properties of a PUBLISH that travel with the message from publisher to subscribers
 * (MQTT 5.0 §3.3.2.3): user properties keep their order and may repeat a key.
 */
public record MessageProperties(Integer payloadFormat, String contentType, String responseTopic,
                                byte[] correlationData, List<UserProperty> userProperties) {
  public static final MessageProperties NONE = new MessageProperties(null, null, null, null, List.of());

  public MessageProperties {
    userProperties = List.copyOf(Objects.requireNonNull(userProperties, "userProperties"));
  }

  /** One user property, a name-value pair of UTF-8 strings. */
  public record UserProperty(String name, String value) {
    public UserProperty {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** An estimate of the encoded size of these properties in bytes, for the client's maximum packet size. */
  public int encodedSize() {
    int size = 0;
    if (payloadFormat != null) {
      size += 2;
    }
    if (contentType != null) {
      size += 3 + Utf8.length(contentType);
    }
    if (responseTopic != null) {
      size += 3 + Utf8.length(responseTopic);
    }
    if (correlationData != null) {
      size += 3 + correlationData.length;
    }
    for (UserProperty p : userProperties) {
      size += 5 + Utf8.length(p.name()) + Utf8.length(p.value());
    }
    return size;
  }
}
