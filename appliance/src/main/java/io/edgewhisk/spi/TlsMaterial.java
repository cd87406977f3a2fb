package io.edgewhisk.spi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A TLS server identity, loaded once at start: the certificate chain and private key (PEM), where the
 * certificate is kept, and its SHA-256 fingerprint for people to compare. The API's HTTPS listener uses
 * it; any other listener (the MQTT broker's TLS port) can be handed the same value and call
 * {@link #keyCertOptions()} on its {@code NetServerOptions}.
 */
public record TlsMaterial(Buffer certificatePem, Buffer privateKeyPem, Path certificateFile, String sha256Fingerprint,
    boolean selfSigned) {

  public TlsMaterial {
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(certificateFile, "certificateFile");
    Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
  }

  /** For {@code HttpServerOptions}/{@code NetServerOptions#setKeyCertOptions}: a fresh copy each call. */
  public KeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().addCertValue(certificatePem.copy()).addKeyValue(privateKeyPem.copy());
  }

  @Override
  public String toString() { // never the key
    return "TlsMaterial[" + certificateFile + ", SHA-256 " + sha256Fingerprint + (selfSigned ? ", self-signed]" : "]");
  }
}
