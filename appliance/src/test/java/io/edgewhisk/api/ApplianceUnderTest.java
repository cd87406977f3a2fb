package io.edgewhisk.api;

import io.edgewhisk.model.Activation;

/** An appliance a test talks to over HTTP: a port, two namespaces' keys, and a way to seed activations. */
public interface ApplianceUnderTest extends AutoCloseable {
  int port();

  /** {@code uuid:key} of namespace {@code guest}. */
  String guestKey();

  /** {@code uuid:key} of a second namespace, {@code other}, owned by another subject. */
  String otherKey();

  /** Writes a record as the invoker would, waiting until it is stored. */
  void storeActivation(Activation activation);

  @Override
  void close();
}
