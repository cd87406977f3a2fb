package io.edgewhisk.config;

import org.slf4j.MDC;

/**
 * Puts an activation's id and namespace into the logging context (MDC {@code activationId},
 * {@code namespace}) around the lines logged about it. A Vert.x callback runs on whatever event loop
 * completes it, so the context is set where the line is logged, never left behind on the thread.
 */
public final class ActivationMdc {
  public static final String ACTIVATION_ID = "activationId";
  public static final String NAMESPACE = "namespace";

  private ActivationMdc() {}

  /** Runs {@code logging} with the activation's context, then restores what the thread had. */
  public static void run(Object activationId, String namespace, Runnable logging) {
    String previousId = MDC.get(ACTIVATION_ID);
    String previousNamespace = MDC.get(NAMESPACE);
    MDC.put(ACTIVATION_ID, String.valueOf(activationId));
    MDC.put(NAMESPACE, namespace);
    try {
      logging.run();
    } finally {
      restore(ACTIVATION_ID, previousId);
      restore(NAMESPACE, previousNamespace);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
