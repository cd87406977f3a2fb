package io.edgewhisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpsConfigTest {
  private static ApplianceConfig config(String settings) {
    return ApplianceConfig.from(ConfigFactory.parseString(settings).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void byDefaultOnlyPlainHttp() {
    HttpsConfig https = config("").https();
    assertTrue(https.plainHttp());
    assertFalse(https.enabled());
    assertEquals(3443, https.port());
    assertEquals(Optional.empty(), https.certificateFile());
  }

  @Test
  void aConfiguredPairAndHostNames() {
    HttpsConfig https = config("edgewhisk.api.https { enabled = true, port = 8443, certificate-file = /etc/c.pem, "
        + "key-file = /etc/k.pem, host-names = [gw.local] }, edgewhisk.api.plain-http = false").https();
    assertTrue(https.enabled());
    assertFalse(https.plainHttp());
    assertEquals(8443, https.port());
    assertEquals(Optional.of(Path.of("/etc/c.pem")), https.certificateFile());
    assertEquals(Optional.of(Path.of("/etc/k.pem")), https.keyFile());
    assertEquals(List.of("gw.local"), https.hostNames());
  }

  @Test
  void badCombinationsNameTheirKey() {
    ConfigException noListener = assertThrows(ConfigException.class, () -> config("edgewhisk.api.plain-http = false"));
    assertTrue(noListener.getMessage().contains("edgewhisk.api.plain-http"), noListener.getMessage());
    ConfigException halfPair = assertThrows(ConfigException.class,
        () -> config("edgewhisk.api.https { enabled = true, certificate-file = /etc/c.pem }"));
    assertTrue(halfPair.getMessage().contains("edgewhisk.api.https.key-file"), halfPair.getMessage());
    ConfigException badPort = assertThrows(ConfigException.class, () -> config("edgewhisk.api.https.port = 70000"));
    assertTrue(badPort.getMessage().contains("port"), badPort.getMessage());
  }
}
