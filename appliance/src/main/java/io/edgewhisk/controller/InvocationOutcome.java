package io.edgewhisk.controller;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import java.util.Objects;

/** What an invocation answered: accepted (202, still running or non-blocking) or its finished record. */
public sealed interface InvocationOutcome {
  ActivationId activationId();

  record Accepted(ActivationId activationId) implements InvocationOutcome {
    public Accepted {
      Objects.requireNonNull(activationId, "activationId");
    }
  }

  record Completed(Activation activation) implements InvocationOutcome {
    public Completed {
      Objects.requireNonNull(activation, "activation");
    }

    @Override
    public ActivationId activationId() {
      return activation.activationId();
    }
  }
}
